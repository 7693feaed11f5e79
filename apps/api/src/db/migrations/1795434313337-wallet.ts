import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Wallet1795434313337 implements MigrationInterface {
  name = 'Wallet1795434313337';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "wallet_settings" ("id" smallint NOT NULL DEFAULT '1', "consumption_order" text NOT NULL DEFAULT 'bonus_first', "refund_policy" text NOT NULL DEFAULT 'refuse', "min_top_up_fen" bigint NOT NULL DEFAULT '100', "max_top_up_fen" bigint NOT NULL DEFAULT '10000000', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "wallet_settings_top_up_range_check" CHECK (min_top_up_fen >= 1 AND max_top_up_fen >= min_top_up_fen), CONSTRAINT "wallet_settings_refund_policy_check" CHECK (refund_policy IN ('refuse', 'deduct_from_refund')), CONSTRAINT "wallet_settings_consumption_order_check" CHECK (consumption_order IN ('bonus_first', 'principal_first', 'proportional')), CONSTRAINT "wallet_settings_single_row" CHECK (id = 1), CONSTRAINT "PK_944d9ff01ea4dda061b1efaefaf" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "wallet_bonus_rule" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "store_id" uuid, "tier_id" uuid, "threshold_fen" bigint NOT NULL, "bonus_fen" bigint NOT NULL DEFAULT '0', "bonus_points" integer NOT NULL DEFAULT '0', "instalments" integer NOT NULL DEFAULT '1', "interval_months" integer NOT NULL DEFAULT '1', "valid_from" TIMESTAMP WITH TIME ZONE, "valid_to" TIMESTAMP WITH TIME ZONE, "active" boolean NOT NULL DEFAULT true, "priority" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "wallet_bonus_rule_window_check" CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from), CONSTRAINT "wallet_bonus_rule_instalments_check" CHECK (instalments BETWEEN 1 AND 120 AND interval_months BETWEEN 1 AND 12), CONSTRAINT "wallet_bonus_rule_bonus_check" CHECK (bonus_fen >= 0 AND bonus_points >= 0 AND (bonus_fen > 0 OR bonus_points > 0)), CONSTRAINT "wallet_bonus_rule_threshold_check" CHECK (threshold_fen > 0), CONSTRAINT "PK_5e9e20582f1b7187064ab2bdcd3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_3642046bac9cf00e5bc26dd637" ON "wallet_bonus_rule" ("store_id") `);
    await queryRunner.query(`CREATE TABLE "wallet_top_up" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "store_id" uuid NOT NULL, "amount_fen" bigint NOT NULL, "bonus_fen" bigint NOT NULL DEFAULT '0', "bonus_points" integer NOT NULL DEFAULT '0', "rule_id" uuid, "payment_method" text NOT NULL, "payment_ref" text, "operator_kind" text NOT NULL, "operator_id" uuid, "memo" text, "status" text NOT NULL DEFAULT 'completed', "refunded_at" TIMESTAMP WITH TIME ZONE, "refund_reason" text, "refund_cash_fen" bigint, "refund_bonus_fen" bigint, "refunded_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "wallet_top_up_status_check" CHECK (status IN ('completed', 'refunded')), CONSTRAINT "wallet_top_up_method_check" CHECK (payment_method IN ('cash', 'bank_card', 'wechat')), CONSTRAINT "wallet_top_up_bonus_check" CHECK (bonus_fen >= 0 AND bonus_points >= 0), CONSTRAINT "wallet_top_up_amount_check" CHECK (amount_fen > 0), CONSTRAINT "PK_3becdb41686a1aa5087930de772" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "wallet_top_up_payment_ref_unique" ON "wallet_top_up" ("payment_method", "payment_ref") WHERE payment_ref IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_e8fbceb9708f987c5cd3de5887" ON "wallet_top_up" ("member_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_537f7bc0c40fcd35b070ca3838" ON "wallet_top_up" ("store_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "wallet_bonus_instalment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "top_up_id" uuid NOT NULL, "member_id" uuid NOT NULL, "seq" integer NOT NULL, "amount_fen" bigint NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL DEFAULT 'pending', "released_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "wallet_bonus_instalment_status_check" CHECK (status IN ('pending', 'released', 'cancelled')), CONSTRAINT "wallet_bonus_instalment_amount_check" CHECK (amount_fen > 0), CONSTRAINT "PK_b61381e56363fa67558a5f2c217" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "wallet_bonus_instalment_due" ON "wallet_bonus_instalment" ("due_at") WHERE status = 'pending'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_c91f0837e01db5c1edbb5f678c" ON "wallet_bonus_instalment" ("top_up_id", "seq") `);
    await queryRunner.query(`CREATE TABLE "wallet_spend" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "store_id" uuid NOT NULL, "amount_fen" bigint NOT NULL, "principal_fen" bigint NOT NULL, "bonus_fen" bigint NOT NULL, "reversed_principal_fen" bigint NOT NULL DEFAULT '0', "reversed_bonus_fen" bigint NOT NULL DEFAULT '0', "ref_type" text NOT NULL, "ref_id" text NOT NULL, "status" text NOT NULL DEFAULT 'completed', "operator_kind" text NOT NULL, "operator_id" uuid, "memo" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "wallet_spend_status_check" CHECK (status IN ('completed', 'partially_reversed', 'reversed')), CONSTRAINT "wallet_spend_reversed_check" CHECK (reversed_principal_fen BETWEEN 0 AND principal_fen AND reversed_bonus_fen BETWEEN 0 AND bonus_fen), CONSTRAINT "wallet_spend_amount_check" CHECK (amount_fen > 0 AND principal_fen >= 0 AND bonus_fen >= 0 AND principal_fen + bonus_fen = amount_fen), CONSTRAINT "PK_a738f7b53ce12a72f238fcf969e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_f1e5ba53f5fd10483b51936a9a" ON "wallet_spend" ("ref_type", "ref_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_46f59fbe97775930c27fc7df82" ON "wallet_spend" ("member_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_f3e2522fc3d3ed6706367bd45e" ON "wallet_spend" ("store_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "wallet_bonus_rule" ADD CONSTRAINT "FK_3642046bac9cf00e5bc26dd6378" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "wallet_top_up" ADD CONSTRAINT "FK_dd13acfb943387255b85b5acce7" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "wallet_top_up" ADD CONSTRAINT "FK_070edd23ea054a633406e3d62eb" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "wallet_top_up" ADD CONSTRAINT "FK_3aa0475837785beb62499f343f7" FOREIGN KEY ("rule_id") REFERENCES "wallet_bonus_rule"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "wallet_bonus_instalment" ADD CONSTRAINT "FK_34759f92280d16ff1ad32d699ac" FOREIGN KEY ("top_up_id") REFERENCES "wallet_top_up"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "wallet_spend" ADD CONSTRAINT "FK_2f6f0a29c34683d6a0bdf299fd0" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "wallet_spend" ADD CONSTRAINT "FK_ad49a2ee4e1fec6560c8f779f43" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // Hand-added: the single settings row with the defaults (bonus first, refuse, 1 yuan – 100,000 yuan).
    await queryRunner.query(`INSERT INTO "wallet_settings" ("id") VALUES (1)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "wallet_spend" DROP CONSTRAINT "FK_ad49a2ee4e1fec6560c8f779f43"`);
    await queryRunner.query(`ALTER TABLE "wallet_spend" DROP CONSTRAINT "FK_2f6f0a29c34683d6a0bdf299fd0"`);
    await queryRunner.query(`ALTER TABLE "wallet_bonus_instalment" DROP CONSTRAINT "FK_34759f92280d16ff1ad32d699ac"`);
    await queryRunner.query(`ALTER TABLE "wallet_top_up" DROP CONSTRAINT "FK_3aa0475837785beb62499f343f7"`);
    await queryRunner.query(`ALTER TABLE "wallet_top_up" DROP CONSTRAINT "FK_070edd23ea054a633406e3d62eb"`);
    await queryRunner.query(`ALTER TABLE "wallet_top_up" DROP CONSTRAINT "FK_dd13acfb943387255b85b5acce7"`);
    await queryRunner.query(`ALTER TABLE "wallet_bonus_rule" DROP CONSTRAINT "FK_3642046bac9cf00e5bc26dd6378"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f3e2522fc3d3ed6706367bd45e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_46f59fbe97775930c27fc7df82"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f1e5ba53f5fd10483b51936a9a"`);
    await queryRunner.query(`DROP TABLE "wallet_spend"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c91f0837e01db5c1edbb5f678c"`);
    await queryRunner.query(`DROP INDEX "public"."wallet_bonus_instalment_due"`);
    await queryRunner.query(`DROP TABLE "wallet_bonus_instalment"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_537f7bc0c40fcd35b070ca3838"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e8fbceb9708f987c5cd3de5887"`);
    await queryRunner.query(`DROP INDEX "public"."wallet_top_up_payment_ref_unique"`);
    await queryRunner.query(`DROP TABLE "wallet_top_up"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3642046bac9cf00e5bc26dd637"`);
    await queryRunner.query(`DROP TABLE "wallet_bonus_rule"`);
    await queryRunner.query(`DROP TABLE "wallet_settings"`);
  }
}
