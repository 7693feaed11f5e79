import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hand-written (TypeORM does not diff a changed CHECK): count cards may be paid from stored value. */
export class CountCardStoredValue1795436118081 implements MigrationInterface {
  name = 'CountCardStoredValue1795436118081';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "member_count_card" DROP CONSTRAINT "member_count_card_payment_check"`);
    await queryRunner.query(`ALTER TABLE "member_count_card" ADD CONSTRAINT "member_count_card_payment_check" CHECK (payment_method IN ('cash', 'bank_card', 'stored_value'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "member_count_card" DROP CONSTRAINT "member_count_card_payment_check"`);
    await queryRunner.query(`ALTER TABLE "member_count_card" ADD CONSTRAINT "member_count_card_payment_check" CHECK (payment_method IN ('cash', 'bank_card'))`);
  }
}
