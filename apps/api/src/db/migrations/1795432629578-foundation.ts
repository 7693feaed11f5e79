import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795432629578 implements MigrationInterface {
  name = 'Foundation1795432629578';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "idempotency_key" ("scope" text NOT NULL, "key" text NOT NULL, "request_hash" text NOT NULL, "method" text NOT NULL, "path" text NOT NULL, "status_code" integer NOT NULL, "response_body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2738e797ef2c60d9a902bad976a" PRIMARY KEY ("scope", "key"))`);
    await queryRunner.query(`CREATE INDEX "IDX_72d9c713a563e6e92176fe0e44" ON "idempotency_key" ("created_at") `);
    await queryRunner.query(`CREATE TABLE "audit_log" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_kind" text NOT NULL, "actor_id" uuid, "actor_name" text NOT NULL DEFAULT '', "store_id" uuid, "action" text NOT NULL, "entity_type" text NOT NULL, "entity_id" text NOT NULL, "before" jsonb, "after" jsonb, "reason" text, "request_id" text, "ip" text, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_ba27cef5b8b2b1a756e06ebcc5" ON "audit_log" ("at") `);
    await queryRunner.query(`CREATE INDEX "IDX_430c2893b53d981aa111d09b31" ON "audit_log" ("store_id", "at") `);
    await queryRunner.query(`CREATE INDEX "IDX_43fef0ec7f613c19c612fffe62" ON "audit_log" ("entity_type", "entity_id") `);
    await queryRunner.query(`CREATE TABLE "chain" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "time_zone" text NOT NULL DEFAULT 'Asia/Shanghai', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8e273aafae283b886672c952ecd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "store" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name" text NOT NULL, "city" text NOT NULL, "address" text NOT NULL DEFAULT '', "phone" text NOT NULL DEFAULT '', "business_hours" jsonb NOT NULL DEFAULT '[]', "time_zone" text NOT NULL DEFAULT 'Asia/Shanghai', "status" text NOT NULL DEFAULT 'open', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_40c711bd10299557bc2bc497206" UNIQUE ("code"), CONSTRAINT "store_status_check" CHECK (status IN ('open', 'paused', 'closed')), CONSTRAINT "PK_f3172007d4de5ae8e7692759d79" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "role" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name" text NOT NULL, "name_en" text NOT NULL DEFAULT '', "scope" text NOT NULL, "permissions" text array NOT NULL DEFAULT '{}', "built_in" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_ee999bb389d7ac0fd967172c41f" UNIQUE ("code"), CONSTRAINT "role_scope_check" CHECK (scope IN ('chain', 'store')), CONSTRAINT "PK_b36bcfe02fc8de3c57a8b2391c2" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "staff" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" text, "phone" text, "name" text NOT NULL, "password_hash" text NOT NULL, "status" text NOT NULL DEFAULT 'active', "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_35aafb5ad218f3ff1ff70e281eb" UNIQUE ("username"), CONSTRAINT "UQ_4d4956f0d921cf205e2c34e130b" UNIQUE ("phone"), CONSTRAINT "staff_login_check" CHECK (username IS NOT NULL OR phone IS NOT NULL), CONSTRAINT "staff_status_check" CHECK (status IN ('active', 'disabled')), CONSTRAINT "PK_e4ee98bb552756c180aec1e854a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "refresh_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "staff_id" uuid NOT NULL, "family_id" uuid NOT NULL, "token_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_f0812282fad2e352cdaf83ef0a9" UNIQUE ("token_hash"), CONSTRAINT "PK_b575dd3c21fb0831013c909e7fe" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_eb31f2a7917404a46e17f539f1" ON "refresh_token" ("family_id") `);
    await queryRunner.query(`CREATE TABLE "login_attempt" ("key" text NOT NULL, "failures" integer NOT NULL DEFAULT '0', "window_started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "locked_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "login_attempt_failures_check" CHECK (failures >= 0), CONSTRAINT "PK_2b7decd11c28ffdfdde28e05382" PRIMARY KEY ("key"))`);
    await queryRunner.query(`CREATE TABLE "staff_role" ("staff_id" uuid NOT NULL, "role_id" uuid NOT NULL, CONSTRAINT "PK_343a99ce8a1e323ab1036ac6832" PRIMARY KEY ("staff_id", "role_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_cb4a998f47eb5230ac49646caf" ON "staff_role" ("staff_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_1af2a16c07007251164fa14ec9" ON "staff_role" ("role_id") `);
    await queryRunner.query(`CREATE TABLE "staff_store" ("staff_id" uuid NOT NULL, "store_id" uuid NOT NULL, CONSTRAINT "PK_28ac54e2ff2851f637a1d7d962d" PRIMARY KEY ("staff_id", "store_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_cddecb8d22b9e648ce31b4452f" ON "staff_store" ("staff_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_65e4778e2c0e5621d9aa08412c" ON "staff_store" ("store_id") `);
    await queryRunner.query(`ALTER TABLE "refresh_token" ADD CONSTRAINT "FK_dc75d28d3538957acca07200102" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "staff_role" ADD CONSTRAINT "FK_cb4a998f47eb5230ac49646cafd" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE CASCADE`);
    await queryRunner.query(`ALTER TABLE "staff_role" ADD CONSTRAINT "FK_1af2a16c07007251164fa14ec9b" FOREIGN KEY ("role_id") REFERENCES "role"("id") ON DELETE CASCADE ON UPDATE CASCADE`);
    await queryRunner.query(`ALTER TABLE "staff_store" ADD CONSTRAINT "FK_cddecb8d22b9e648ce31b4452fd" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE CASCADE`);
    await queryRunner.query(`ALTER TABLE "staff_store" ADD CONSTRAINT "FK_65e4778e2c0e5621d9aa08412cc" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE CASCADE ON UPDATE CASCADE`);
    // Hand-written: append-only tables refuse UPDATE, DELETE and TRUNCATE (ledgers reuse the function).
    await queryRunner.query(`CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001'; END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_log_no_truncate ON "audit_log"`);
    await queryRunner.query(`DROP TRIGGER audit_log_append_only ON "audit_log"`);
    await queryRunner.query(`DROP FUNCTION refuse_change()`);
    await queryRunner.query(`ALTER TABLE "staff_store" DROP CONSTRAINT "FK_65e4778e2c0e5621d9aa08412cc"`);
    await queryRunner.query(`ALTER TABLE "staff_store" DROP CONSTRAINT "FK_cddecb8d22b9e648ce31b4452fd"`);
    await queryRunner.query(`ALTER TABLE "staff_role" DROP CONSTRAINT "FK_1af2a16c07007251164fa14ec9b"`);
    await queryRunner.query(`ALTER TABLE "staff_role" DROP CONSTRAINT "FK_cb4a998f47eb5230ac49646cafd"`);
    await queryRunner.query(`ALTER TABLE "refresh_token" DROP CONSTRAINT "FK_dc75d28d3538957acca07200102"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_65e4778e2c0e5621d9aa08412c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cddecb8d22b9e648ce31b4452f"`);
    await queryRunner.query(`DROP TABLE "staff_store"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1af2a16c07007251164fa14ec9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cb4a998f47eb5230ac49646caf"`);
    await queryRunner.query(`DROP TABLE "staff_role"`);
    await queryRunner.query(`DROP TABLE "login_attempt"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_eb31f2a7917404a46e17f539f1"`);
    await queryRunner.query(`DROP TABLE "refresh_token"`);
    await queryRunner.query(`DROP TABLE "staff"`);
    await queryRunner.query(`DROP TABLE "role"`);
    await queryRunner.query(`DROP TABLE "store"`);
    await queryRunner.query(`DROP TABLE "chain"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_43fef0ec7f613c19c612fffe62"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_430c2893b53d981aa111d09b31"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ba27cef5b8b2b1a756e06ebcc5"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_72d9c713a563e6e92176fe0e44"`);
    await queryRunner.query(`DROP TABLE "idempotency_key"`);
  }
}
