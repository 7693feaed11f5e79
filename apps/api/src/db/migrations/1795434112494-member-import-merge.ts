import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MemberImportMerge1795434112494 implements MigrationInterface {
  name = 'MemberImportMerge1795434112494';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "member_import" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "format" text NOT NULL, "file_name" text NOT NULL, "file_path" text NOT NULL, "store_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'queued', "rows_total" integer, "rows_done" integer NOT NULL DEFAULT '0', "rows_imported" integer NOT NULL DEFAULT '0', "rows_failed" integer NOT NULL DEFAULT '0', "failure" text, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "member_import_status_check" CHECK (status IN ('queued', 'running', 'done', 'failed')), CONSTRAINT "PK_c87b318b8b183d891fec5dce3c8" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_9b6f4acf445602dee52f2ccfb9" ON "member_import" ("store_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "member_import_error" ("import_id" uuid NOT NULL, "line" integer NOT NULL, "errors" jsonb NOT NULL, CONSTRAINT "PK_8b5ffe1f827b94670474af5d52f" PRIMARY KEY ("import_id", "line"))`);
    await queryRunner.query(`ALTER TABLE "member" ADD "merged_into_id" uuid`);
    // Hand-written: TypeORM does not diff a changed CHECK expression.
    await queryRunner.query(`ALTER TABLE "member" DROP CONSTRAINT "member_status_check"`);
    await queryRunner.query(`ALTER TABLE "member" ADD CONSTRAINT "member_status_check" CHECK (status IN ('active', 'frozen', 'anonymised', 'merged'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "member" DROP CONSTRAINT "member_status_check"`);
    await queryRunner.query(`ALTER TABLE "member" ADD CONSTRAINT "member_status_check" CHECK (status IN ('active', 'frozen', 'anonymised'))`);
    await queryRunner.query(`ALTER TABLE "member" DROP COLUMN "merged_into_id"`);
    await queryRunner.query(`DROP TABLE "member_import_error"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9b6f4acf445602dee52f2ccfb9"`);
    await queryRunner.query(`DROP TABLE "member_import"`);
  }
}
