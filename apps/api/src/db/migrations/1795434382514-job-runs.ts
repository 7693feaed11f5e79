import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobRuns1795434382514 implements MigrationInterface {
  name = 'JobRuns1795434382514';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "job_run" ("job" text NOT NULL, "period" text NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, "status" text NOT NULL DEFAULT 'running', "result" jsonb, "error" text, CONSTRAINT "PK_b4e3f1665d2c056abaadc711209" PRIMARY KEY ("job", "period"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "job_run"`);
  }
}
