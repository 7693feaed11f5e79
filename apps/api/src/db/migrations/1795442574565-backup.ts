import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Backup1795442574565 implements MigrationInterface {
  name = 'Backup1795442574565';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "backup_run" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "trigger" text NOT NULL, "status" text NOT NULL DEFAULT 'running', "requested_by" uuid, "file_name" text, "size_bytes" bigint, "sha256" text, "destinations" text array NOT NULL DEFAULT '{}', "summary" jsonb, "error" text, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, "pruned_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "backup_run_trigger" CHECK (trigger IN ('schedule', 'api', 'cli')), CONSTRAINT "backup_run_status" CHECK (status IN ('running', 'done', 'failed')), CONSTRAINT "PK_d5d0832c1ff227f276a4ef80475" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_0aa59917f415ad7f7bd24feb83" ON "backup_run" ("started_at") `);
    await queryRunner.query(`CREATE TABLE "system_alert" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "severity" text NOT NULL DEFAULT 'error', "audience" text NOT NULL DEFAULT 'hq', "message" text NOT NULL, "details" jsonb, "occurrences" integer NOT NULL DEFAULT '1', "first_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "resolved_at" TIMESTAMP WITH TIME ZONE, "resolved_by" uuid, "resolution" text, "notified_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "system_alert_occurrences" CHECK (occurrences >= 1), CONSTRAINT "system_alert_severity" CHECK (severity IN ('warning', 'error')), CONSTRAINT "PK_8d2a4a6c76400e9027cc1d68158" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_faa66958a03618b0e98038abc6" ON "system_alert" ("last_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "system_alert_open_kind_unique" ON "system_alert" ("kind") WHERE resolved_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."system_alert_open_kind_unique"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_faa66958a03618b0e98038abc6"`);
    await queryRunner.query(`DROP TABLE "system_alert"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0aa59917f415ad7f7bd24feb83"`);
    await queryRunner.query(`DROP TABLE "backup_run"`);
  }
}
