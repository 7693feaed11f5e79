import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CountCardBonus1795437076358 implements MigrationInterface {
  name = 'CountCardBonus1795437076358';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "wallet_bonus_rule" ADD "bonus_count_card_template_id" uuid`);
    await queryRunner.query(`ALTER TABLE "wallet_top_up" ADD "bonus_count_card_id" uuid`);
    // Hand-written: TypeORM does not diff changed CHECK expressions.
    await queryRunner.query(`ALTER TABLE "wallet_bonus_rule" DROP CONSTRAINT "wallet_bonus_rule_bonus_check"`);
    await queryRunner.query(`ALTER TABLE "wallet_bonus_rule" ADD CONSTRAINT "wallet_bonus_rule_bonus_check" CHECK (bonus_fen >= 0 AND bonus_points >= 0 AND (bonus_fen > 0 OR bonus_points > 0 OR bonus_count_card_template_id IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE "member_count_card" DROP CONSTRAINT "member_count_card_payment_check"`);
    await queryRunner.query(`ALTER TABLE "member_count_card" ADD CONSTRAINT "member_count_card_payment_check" CHECK (payment_method IN ('cash', 'bank_card', 'stored_value', 'bonus'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "member_count_card" DROP CONSTRAINT "member_count_card_payment_check"`);
    await queryRunner.query(`ALTER TABLE "member_count_card" ADD CONSTRAINT "member_count_card_payment_check" CHECK (payment_method IN ('cash', 'bank_card', 'stored_value'))`);
    await queryRunner.query(`ALTER TABLE "wallet_bonus_rule" DROP CONSTRAINT "wallet_bonus_rule_bonus_check"`);
    await queryRunner.query(`ALTER TABLE "wallet_bonus_rule" ADD CONSTRAINT "wallet_bonus_rule_bonus_check" CHECK (bonus_fen >= 0 AND bonus_points >= 0 AND (bonus_fen > 0 OR bonus_points > 0))`);
    await queryRunner.query(`ALTER TABLE "wallet_top_up" DROP COLUMN "bonus_count_card_id"`);
    await queryRunner.query(`ALTER TABLE "wallet_bonus_rule" DROP COLUMN "bonus_count_card_template_id"`);
  }
}
