import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MemberPayPassword1795433761145 implements MigrationInterface {
  name = 'MemberPayPassword1795433761145';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "member" ADD "pay_password_hash" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "member" DROP COLUMN "pay_password_hash"`);
  }
}
