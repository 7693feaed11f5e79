import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MembersLedger1795433556527 implements MigrationInterface {
  name = 'MembersLedger1795433556527';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "permission_catalog" ("code" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3d983b89bcab342d2927b998756" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE TABLE "member" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_no" text NOT NULL, "name" text NOT NULL, "gender" text NOT NULL DEFAULT 'unknown', "phone" text, "id_card_cipher" text, "id_card_hash" text, "id_card_masked" text, "birthday" date, "referrer_id" uuid, "registered_by_staff_id" uuid, "home_store_id" uuid NOT NULL, "tags" text array NOT NULL DEFAULT '{}', "attributes" jsonb NOT NULL DEFAULT '{}', "valid_until" date, "status" text NOT NULL DEFAULT 'active', "tier_id" uuid, "remark" text NOT NULL DEFAULT '', "last_visit_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_0bb4ae4465f59835c0158bf9a87" UNIQUE ("member_no"), CONSTRAINT "UQ_d73619f5e63108e8d57e8e1859d" UNIQUE ("phone"), CONSTRAINT "UQ_b386a20fb8a09fa44cd1d75ca9f" UNIQUE ("id_card_hash"), CONSTRAINT "member_status_check" CHECK (status IN ('active', 'frozen', 'anonymised')), CONSTRAINT "member_gender_check" CHECK (gender IN ('male', 'female', 'unknown')), CONSTRAINT "PK_97cbbe986ce9d14ca5894fdc072" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_df794318290526a7e3403a7fcf" ON "member" ("created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_50ee79e7269c006e5ceefa7775" ON "member" ("home_store_id") `);
    await queryRunner.query(`CREATE TABLE "member_attribute_def" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name" text NOT NULL, "type" text NOT NULL, "options" text array NOT NULL DEFAULT '{}', "required" boolean NOT NULL DEFAULT false, "sort_order" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_44199ffa3c89634390388c1415d" UNIQUE ("code"), CONSTRAINT "member_attribute_def_type_check" CHECK (type IN ('text', 'number', 'date', 'choice')), CONSTRAINT "PK_9c5bd3277610c49a86eacfa3515" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "account" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "kind" text NOT NULL, "ref_id" uuid, "balance" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "account_balance_non_negative" CHECK (balance >= 0), CONSTRAINT "PK_54115ee388cdb6d86bb4bf5b2ea" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "account_member_kind_ref_unique" ON "account" ("member_id", "kind", "ref_id") WHERE ref_id IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "account_member_kind_unique" ON "account" ("member_id", "kind") WHERE ref_id IS NULL`);
    await queryRunner.query(`CREATE TABLE "ledger_entry" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "account_id" uuid NOT NULL, "member_id" uuid NOT NULL, "kind" text NOT NULL, "amount" bigint NOT NULL, "balance_after" bigint NOT NULL, "operation_id" uuid NOT NULL, "reason" text NOT NULL, "ref_type" text NOT NULL, "ref_id" text NOT NULL, "store_id" uuid, "operator_kind" text NOT NULL, "operator_id" uuid, "memo" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ledger_entry_balance_after_non_negative" CHECK (balance_after >= 0), CONSTRAINT "ledger_entry_amount_non_zero" CHECK (amount <> 0), CONSTRAINT "PK_04e9d274911f909a5848a15cd74" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_43ea12dad36a246e59a9cfd245" ON "ledger_entry" ("store_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_026774cae3466d19119dac72cc" ON "ledger_entry" ("operation_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_45539a131688cf1c3ad7934483" ON "ledger_entry" ("member_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_56e6988d22e0657a08986e2546" ON "ledger_entry" ("account_id", "id") `);
    await queryRunner.query(`ALTER TABLE "chain" ADD "churn_days" integer NOT NULL DEFAULT '90'`);
    await queryRunner.query(`ALTER TABLE "refresh_token" ADD "member_id" uuid`);
    await queryRunner.query(`ALTER TABLE "refresh_token" DROP CONSTRAINT "FK_dc75d28d3538957acca07200102"`);
    await queryRunner.query(`ALTER TABLE "refresh_token" ALTER COLUMN "staff_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "refresh_token" ADD CONSTRAINT "refresh_token_one_subject" CHECK ((staff_id IS NULL) <> (member_id IS NULL))`);
    await queryRunner.query(`ALTER TABLE "member" ADD CONSTRAINT "FK_1a7f3a01af7c4e6d4cb97a479db" FOREIGN KEY ("referrer_id") REFERENCES "member"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "member" ADD CONSTRAINT "FK_fea254f5720ae95d1474e5482e7" FOREIGN KEY ("registered_by_staff_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "member" ADD CONSTRAINT "FK_50ee79e7269c006e5ceefa77755" FOREIGN KEY ("home_store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "refresh_token" ADD CONSTRAINT "FK_dc75d28d3538957acca07200102" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "refresh_token" ADD CONSTRAINT "FK_a5660d57515144c9f2bee5ac464" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "account" ADD CONSTRAINT "FK_982244edcfcee80f14f2bef945a" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "ledger_entry" ADD CONSTRAINT "FK_f51c20726076921b4697f67a8c1" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // Hand-written: member numbers, tag search, and the ledger's append-only guarantee.
    await queryRunner.query(`CREATE SEQUENCE member_no_seq START 1`);
    await queryRunner.query(`CREATE INDEX member_tags_gin ON "member" USING gin ("tags")`);
    await queryRunner.query(`CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON "ledger_entry" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON "ledger_entry" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER ledger_entry_no_truncate ON "ledger_entry"`);
    await queryRunner.query(`DROP TRIGGER ledger_entry_append_only ON "ledger_entry"`);
    await queryRunner.query(`DROP INDEX member_tags_gin`);
    await queryRunner.query(`DROP SEQUENCE member_no_seq`);
    await queryRunner.query(`ALTER TABLE "ledger_entry" DROP CONSTRAINT "FK_f51c20726076921b4697f67a8c1"`);
    await queryRunner.query(`ALTER TABLE "account" DROP CONSTRAINT "FK_982244edcfcee80f14f2bef945a"`);
    await queryRunner.query(`ALTER TABLE "refresh_token" DROP CONSTRAINT "FK_a5660d57515144c9f2bee5ac464"`);
    await queryRunner.query(`ALTER TABLE "refresh_token" DROP CONSTRAINT "FK_dc75d28d3538957acca07200102"`);
    await queryRunner.query(`ALTER TABLE "member" DROP CONSTRAINT "FK_50ee79e7269c006e5ceefa77755"`);
    await queryRunner.query(`ALTER TABLE "member" DROP CONSTRAINT "FK_fea254f5720ae95d1474e5482e7"`);
    await queryRunner.query(`ALTER TABLE "member" DROP CONSTRAINT "FK_1a7f3a01af7c4e6d4cb97a479db"`);
    await queryRunner.query(`ALTER TABLE "refresh_token" DROP CONSTRAINT "refresh_token_one_subject"`);
    await queryRunner.query(`ALTER TABLE "refresh_token" ALTER COLUMN "staff_id" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "refresh_token" ADD CONSTRAINT "FK_dc75d28d3538957acca07200102" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "refresh_token" DROP COLUMN "member_id"`);
    await queryRunner.query(`ALTER TABLE "chain" DROP COLUMN "churn_days"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_56e6988d22e0657a08986e2546"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_45539a131688cf1c3ad7934483"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_026774cae3466d19119dac72cc"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_43ea12dad36a246e59a9cfd245"`);
    await queryRunner.query(`DROP TABLE "ledger_entry"`);
    await queryRunner.query(`DROP INDEX "public"."account_member_kind_unique"`);
    await queryRunner.query(`DROP INDEX "public"."account_member_kind_ref_unique"`);
    await queryRunner.query(`DROP TABLE "account"`);
    await queryRunner.query(`DROP TABLE "member_attribute_def"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_50ee79e7269c006e5ceefa7775"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_df794318290526a7e3403a7fcf"`);
    await queryRunner.query(`DROP TABLE "member"`);
    await queryRunner.query(`DROP TABLE "permission_catalog"`);
  }
}
