import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CountCards1795434870599 implements MigrationInterface {
  name = 'CountCards1795434870599';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "count_card_template" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "kind" text NOT NULL, "service_codes" text array NOT NULL, "uses" integer, "period_days" integer, "daily_limit" integer, "minutes" integer, "price_fen" bigint NOT NULL, "validity_days" integer, "fixed_valid_until" date, "status" text NOT NULL DEFAULT 'on_sale', "store_ids" uuid array NOT NULL DEFAULT '{}', "description" text NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "count_card_template_price_check" CHECK (price_fen >= 0), CONSTRAINT "count_card_template_validity_check" CHECK (validity_days IS NULL OR fixed_valid_until IS NULL), CONSTRAINT "count_card_template_shape_check" CHECK ((kind = 'count' AND uses > 0 AND period_days IS NULL AND minutes IS NULL AND daily_limit IS NULL)
   OR (kind = 'period' AND period_days > 0 AND uses IS NULL AND minutes IS NULL AND (daily_limit IS NULL OR daily_limit > 0) AND validity_days IS NULL AND fixed_valid_until IS NULL)
   OR (kind = 'time' AND minutes > 0 AND uses IS NULL AND period_days IS NULL AND daily_limit IS NULL)), CONSTRAINT "count_card_template_status_check" CHECK (status IN ('on_sale', 'off_sale')), CONSTRAINT "count_card_template_kind_check" CHECK (kind IN ('count', 'period', 'time')), CONSTRAINT "PK_8dd8817088858868809fb329cf0" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "member_count_card" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "template_id" uuid NOT NULL, "name" text NOT NULL, "kind" text NOT NULL, "service_codes" text array NOT NULL, "units_total" integer, "period_days" integer, "daily_limit" integer, "price_fen" bigint NOT NULL, "payment_method" text NOT NULL, "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL, "valid_until" TIMESTAMP WITH TIME ZONE, "status" text NOT NULL DEFAULT 'active', "sold_store_id" uuid NOT NULL, "sold_by_staff_id" uuid, "expired_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "member_count_card_payment_check" CHECK (payment_method IN ('cash', 'bank_card')), CONSTRAINT "member_count_card_status_check" CHECK (status IN ('active', 'expired', 'used_up', 'refunded')), CONSTRAINT "member_count_card_kind_check" CHECK (kind IN ('count', 'period', 'time')), CONSTRAINT "PK_6a5149c453e9f094f59045ba8af" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_f960efc06522b9155e1d68238c" ON "member_count_card" ("sold_store_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_1afb64abe2da902efebbb9d5b5" ON "member_count_card" ("status", "valid_until") `);
    await queryRunner.query(`CREATE INDEX "IDX_c63ce77056f758472462e5ff6c" ON "member_count_card" ("member_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "count_card_redemption" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "count_card_id" uuid NOT NULL, "member_id" uuid NOT NULL, "store_id" uuid NOT NULL, "service_code" text NOT NULL, "quantity" integer NOT NULL, "staff_id" uuid, "operator_staff_id" uuid, "redeemed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "count_card_redemption_quantity_check" CHECK (quantity > 0), CONSTRAINT "PK_8966a265e1a44f469003737b440" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_faacd455a20af64bc30c9a3aae" ON "count_card_redemption" ("store_id", "redeemed_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_b5e479c2b3ed0ba9e9e05a965d" ON "count_card_redemption" ("count_card_id", "redeemed_at") `);
    await queryRunner.query(`CREATE TABLE "count_card_redemption_reversal" ("redemption_id" uuid NOT NULL, "reason" text NOT NULL, "operator_staff_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e37aaba9132d05c1b59c6d2091a" PRIMARY KEY ("redemption_id"))`);
    await queryRunner.query(`CREATE TABLE "count_card_timer" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "count_card_id" uuid NOT NULL, "member_id" uuid NOT NULL, "store_id" uuid NOT NULL, "service_code" text NOT NULL, "staff_id" uuid, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "stopped_at" TIMESTAMP WITH TIME ZONE, "minutes_used" integer, "minutes_billed" integer, "shortfall_minutes" integer, "operator_staff_id" uuid, CONSTRAINT "PK_e504e9f04d2df457a2ba00eae9c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_b083eccc99be139302dd73496a" ON "count_card_timer" ("count_card_id", "started_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_a316f2a1df01077b183835b0ef" ON "count_card_timer" ("store_id", "started_at") `);
    await queryRunner.query(`ALTER TABLE "member_count_card" ADD CONSTRAINT "FK_8319c92be10072fd312c777844f" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "member_count_card" ADD CONSTRAINT "FK_10d4d3499111e06cb8f0314f699" FOREIGN KEY ("template_id") REFERENCES "count_card_template"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "member_count_card" ADD CONSTRAINT "FK_51260c2d0f5cc4eeb2538a2b958" FOREIGN KEY ("sold_store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "member_count_card" ADD CONSTRAINT "FK_4065ae18e1a4bf0aa4c6e04c76a" FOREIGN KEY ("sold_by_staff_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "count_card_redemption" ADD CONSTRAINT "FK_d53d83265f49e2c971d781cd16a" FOREIGN KEY ("count_card_id") REFERENCES "member_count_card"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "count_card_redemption" ADD CONSTRAINT "FK_81d98e892bb4047be955f1d2337" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "count_card_redemption" ADD CONSTRAINT "FK_368944cf7e2c5b1dbcdc016d0f0" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "count_card_redemption_reversal" ADD CONSTRAINT "FK_e37aaba9132d05c1b59c6d2091a" FOREIGN KEY ("redemption_id") REFERENCES "count_card_redemption"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "count_card_timer" ADD CONSTRAINT "FK_cd6f85d049bcf95b04356050580" FOREIGN KEY ("count_card_id") REFERENCES "member_count_card"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "count_card_timer" ADD CONSTRAINT "FK_2fe4b908f14829af424cd9f0710" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // Hand-written: one running timer per card, and redemptions (with their reversals) are append-only.
    await queryRunner.query(`CREATE UNIQUE INDEX count_card_timer_one_running ON "count_card_timer" ("count_card_id") WHERE stopped_at IS NULL`);
    await queryRunner.query(`CREATE TRIGGER count_card_redemption_append_only BEFORE UPDATE OR DELETE ON "count_card_redemption" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER count_card_redemption_no_truncate BEFORE TRUNCATE ON "count_card_redemption" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER count_card_redemption_reversal_append_only BEFORE UPDATE OR DELETE ON "count_card_redemption_reversal" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER count_card_redemption_reversal_no_truncate BEFORE TRUNCATE ON "count_card_redemption_reversal" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER count_card_redemption_reversal_no_truncate ON "count_card_redemption_reversal"`);
    await queryRunner.query(`DROP TRIGGER count_card_redemption_reversal_append_only ON "count_card_redemption_reversal"`);
    await queryRunner.query(`DROP TRIGGER count_card_redemption_no_truncate ON "count_card_redemption"`);
    await queryRunner.query(`DROP TRIGGER count_card_redemption_append_only ON "count_card_redemption"`);
    await queryRunner.query(`DROP INDEX count_card_timer_one_running`);
    await queryRunner.query(`ALTER TABLE "count_card_timer" DROP CONSTRAINT "FK_2fe4b908f14829af424cd9f0710"`);
    await queryRunner.query(`ALTER TABLE "count_card_timer" DROP CONSTRAINT "FK_cd6f85d049bcf95b04356050580"`);
    await queryRunner.query(`ALTER TABLE "count_card_redemption_reversal" DROP CONSTRAINT "FK_e37aaba9132d05c1b59c6d2091a"`);
    await queryRunner.query(`ALTER TABLE "count_card_redemption" DROP CONSTRAINT "FK_368944cf7e2c5b1dbcdc016d0f0"`);
    await queryRunner.query(`ALTER TABLE "count_card_redemption" DROP CONSTRAINT "FK_81d98e892bb4047be955f1d2337"`);
    await queryRunner.query(`ALTER TABLE "count_card_redemption" DROP CONSTRAINT "FK_d53d83265f49e2c971d781cd16a"`);
    await queryRunner.query(`ALTER TABLE "member_count_card" DROP CONSTRAINT "FK_4065ae18e1a4bf0aa4c6e04c76a"`);
    await queryRunner.query(`ALTER TABLE "member_count_card" DROP CONSTRAINT "FK_51260c2d0f5cc4eeb2538a2b958"`);
    await queryRunner.query(`ALTER TABLE "member_count_card" DROP CONSTRAINT "FK_10d4d3499111e06cb8f0314f699"`);
    await queryRunner.query(`ALTER TABLE "member_count_card" DROP CONSTRAINT "FK_8319c92be10072fd312c777844f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a316f2a1df01077b183835b0ef"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b083eccc99be139302dd73496a"`);
    await queryRunner.query(`DROP TABLE "count_card_timer"`);
    await queryRunner.query(`DROP TABLE "count_card_redemption_reversal"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b5e479c2b3ed0ba9e9e05a965d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_faacd455a20af64bc30c9a3aae"`);
    await queryRunner.query(`DROP TABLE "count_card_redemption"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c63ce77056f758472462e5ff6c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1afb64abe2da902efebbb9d5b5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f960efc06522b9155e1d68238c"`);
    await queryRunner.query(`DROP TABLE "member_count_card"`);
    await queryRunner.query(`DROP TABLE "count_card_template"`);
  }
}
