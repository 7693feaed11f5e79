import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CouponsPromotionsPricing1795441260369 implements MigrationInterface {
  name = 'CouponsPromotionsPricing1795441260369';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "coupon_template" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "description" text NOT NULL DEFAULT '', "kind" text NOT NULL, "amount_off_fen" bigint, "discount_bps" integer, "max_discount_fen" bigint, "threshold_fen" bigint NOT NULL DEFAULT '0', "sku_id" uuid, "exchange_price_fen" bigint, "validity_kind" text NOT NULL, "valid_from_date" date, "valid_until_date" date, "valid_days" integer, "store_ids" uuid array NOT NULL DEFAULT '{}', "scope" jsonb NOT NULL DEFAULT '{}', "stackable" boolean NOT NULL DEFAULT false, "stack_with_member_price" boolean NOT NULL DEFAULT true, "per_member_limit" integer, "total_quantity" integer, "issued_count" integer NOT NULL DEFAULT '0', "auto_issue" text array NOT NULL DEFAULT '{}', "status" text NOT NULL DEFAULT 'active', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "coupon_template_auto_issue_check" CHECK (auto_issue <@ ARRAY['join', 'birthday']::text[]), CONSTRAINT "coupon_template_limit_check" CHECK (per_member_limit IS NULL OR per_member_limit > 0), CONSTRAINT "coupon_template_quantity_check" CHECK (issued_count >= 0 AND (total_quantity IS NULL OR issued_count <= total_quantity)), CONSTRAINT "coupon_template_validity_check" CHECK ((validity_kind = 'fixed' AND valid_from_date IS NOT NULL AND valid_until_date >= valid_from_date AND valid_days IS NULL)
   OR (validity_kind = 'relative' AND valid_days > 0 AND valid_from_date IS NULL AND valid_until_date IS NULL)), CONSTRAINT "coupon_template_shape_check" CHECK ((kind = 'amount_off' AND amount_off_fen > 0 AND threshold_fen = 0 AND sku_id IS NULL)
   OR (kind = 'threshold' AND amount_off_fen > 0 AND threshold_fen > 0 AND sku_id IS NULL)
   OR (kind = 'percent_off' AND discount_bps BETWEEN 1 AND 9999 AND sku_id IS NULL)
   OR (kind = 'free_item' AND sku_id IS NOT NULL)
   OR (kind = 'exchange' AND sku_id IS NOT NULL AND exchange_price_fen >= 0)), CONSTRAINT "coupon_template_status_check" CHECK (status IN ('active', 'disabled')), CONSTRAINT "coupon_template_kind_check" CHECK (kind IN ('amount_off', 'percent_off', 'threshold', 'free_item', 'exchange')), CONSTRAINT "PK_9de09b3abc3fc0f185330f95ce1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "coupon" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "template_id" uuid NOT NULL, "member_id" uuid NOT NULL, "code" text NOT NULL, "rule" jsonb NOT NULL, "status" text NOT NULL DEFAULT 'unused', "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL, "valid_until" TIMESTAMP WITH TIME ZONE NOT NULL, "source" text NOT NULL, "source_ref" text, "issued_store_id" uuid, "issued_by_staff_id" uuid, "order_id" uuid, "used_at" TIMESTAMP WITH TIME ZONE, "used_store_id" uuid, "expired_at" TIMESTAMP WITH TIME ZONE, "voided_at" TIMESTAMP WITH TIME ZONE, "void_reason" text, "voided_by_staff_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "coupon_validity_check" CHECK (valid_until > valid_from), CONSTRAINT "coupon_used_has_order_check" CHECK ((status = 'used') = (order_id IS NOT NULL)), CONSTRAINT "coupon_source_check" CHECK (source IN ('manual', 'segment', 'join', 'birthday', 'top_up')), CONSTRAINT "coupon_status_check" CHECK (status IN ('unused', 'used', 'expired', 'voided')), CONSTRAINT "PK_fcbe9d72b60eed35f46dc35a682" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_b1f7ec28e9fda221cd4a39cba4" ON "coupon" ("template_id", "member_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_24998b505b4f86f016b6755323" ON "coupon" ("order_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_30b0591d3e2376dd639d3a8f5a" ON "coupon" ("status", "valid_until") `);
    await queryRunner.query(`CREATE INDEX "IDX_6655faf186ad261d995a9d6eb7" ON "coupon" ("member_id", "status") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "coupon_event_once" ON "coupon" ("template_id", "member_id", "source", "source_ref") WHERE source_ref IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "coupon_code_unique" ON "coupon" ("code") `);
    await queryRunner.query(`CREATE TABLE "coupon_issue_run" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "template_id" uuid NOT NULL, "segment" jsonb NOT NULL, "status" text NOT NULL DEFAULT 'running', "matched" integer NOT NULL DEFAULT '0', "issued" integer NOT NULL DEFAULT '0', "skipped_limit" integer NOT NULL DEFAULT '0', "skipped_sold_out" integer NOT NULL DEFAULT '0', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "coupon_issue_run_status_check" CHECK (status IN ('running', 'done')), CONSTRAINT "PK_16676086e2b75c1fb91fb6c4e3c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "pricing_settings" ("id" integer NOT NULL, "member_price_enabled" boolean NOT NULL DEFAULT true, "tier_discount_enabled" boolean NOT NULL DEFAULT true, "tier_discount_scope" jsonb NOT NULL DEFAULT '{}', "manual_discount_max_bps" integer NOT NULL DEFAULT '2000', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pricing_settings_manual_cap_check" CHECK (manual_discount_max_bps BETWEEN 0 AND 10000), CONSTRAINT "pricing_settings_single_row" CHECK (id = 1), CONSTRAINT "PK_622d1dfc3ddcd144464036020fb" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "promotion" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "description" text NOT NULL DEFAULT '', "kind" text NOT NULL, "status" text NOT NULL DEFAULT 'active', "priority" integer NOT NULL DEFAULT '0', "exclusive" boolean NOT NULL DEFAULT false, "stack_with_coupons" boolean NOT NULL DEFAULT true, "members_only" boolean NOT NULL DEFAULT false, "tier_ids" uuid array NOT NULL DEFAULT '{}', "store_ids" uuid array NOT NULL DEFAULT '{}', "starts_at" TIMESTAMP WITH TIME ZONE, "ends_at" TIMESTAMP WITH TIME ZONE, "daily_start" text, "daily_end" text, "weekdays" integer array NOT NULL DEFAULT '{}', "month_days" integer array NOT NULL DEFAULT '{}', "scope" jsonb NOT NULL DEFAULT '{}', "discount_bps" integer, "reduction_mode" text, "steps" jsonb NOT NULL DEFAULT '[]', "flash_sku_id" uuid, "flash_price_fen" bigint, "flash_stock" integer, "flash_sold" integer NOT NULL DEFAULT '0', "flash_per_member_limit" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "promotion_flash_limit_check" CHECK (flash_per_member_limit IS NULL OR flash_per_member_limit > 0), CONSTRAINT "promotion_flash_sold_check" CHECK (flash_sold >= 0 AND (flash_stock IS NULL OR flash_sold <= flash_stock)), CONSTRAINT "promotion_shape_check" CHECK ((kind = 'member_day' AND discount_bps BETWEEN 1 AND 9999 AND flash_sku_id IS NULL AND reduction_mode IS NULL)
   OR (kind = 'full_reduction' AND reduction_mode IN ('amount', 'rate') AND discount_bps IS NULL AND flash_sku_id IS NULL)
   OR (kind = 'flash_sale' AND flash_sku_id IS NOT NULL AND flash_price_fen >= 0 AND flash_stock >= 0 AND discount_bps IS NULL AND reduction_mode IS NULL)), CONSTRAINT "promotion_window_check" CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at), CONSTRAINT "promotion_status_check" CHECK (status IN ('active', 'disabled')), CONSTRAINT "promotion_kind_check" CHECK (kind IN ('member_day', 'flash_sale', 'full_reduction')), CONSTRAINT "PK_fab3630e0789a2002f1cadb7d38" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_59ec125b83aa7e27fd4e3e2408" ON "promotion" ("kind", "status") `);
    await queryRunner.query(`CREATE TABLE "flash_sale_member" ("promotion_id" uuid NOT NULL, "member_id" uuid NOT NULL, "quantity" integer NOT NULL DEFAULT '0', CONSTRAINT "flash_sale_member_quantity_check" CHECK (quantity >= 0), CONSTRAINT "PK_109eb7dcb15378172dd7ee7c3dc" PRIMARY KEY ("promotion_id", "member_id"))`);
    await queryRunner.query(`CREATE TABLE "flash_sale_take" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "promotion_id" uuid NOT NULL, "order_id" uuid NOT NULL, "line_no" integer NOT NULL, "member_id" uuid, "store_id" uuid NOT NULL, "quantity" integer NOT NULL, "released_quantity" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "flash_sale_take_quantity_check" CHECK (quantity > 0 AND released_quantity >= 0 AND released_quantity <= quantity), CONSTRAINT "PK_cf6ca7bb82b44789c98c038b186" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_39d7502b8b418bb16465969b9a" ON "flash_sale_take" ("promotion_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "flash_sale_take_line_unique" ON "flash_sale_take" ("order_id", "promotion_id", "line_no") `);
    await queryRunner.query(`ALTER TABLE "wallet_bonus_rule" ADD "bonus_coupon_template_id" uuid`);
    await queryRunner.query(`ALTER TABLE "wallet_top_up" ADD "bonus_coupon_id" uuid`);
    // By hand: TypeORM does not diff a changed CHECK. A bonus rule may now give only a coupon.
    await queryRunner.query(`ALTER TABLE "wallet_bonus_rule" DROP CONSTRAINT "wallet_bonus_rule_bonus_check"`);
    await queryRunner.query(
      `ALTER TABLE "wallet_bonus_rule" ADD CONSTRAINT "wallet_bonus_rule_bonus_check" CHECK (bonus_fen >= 0 AND bonus_points >= 0 AND (bonus_fen > 0 OR bonus_points > 0 OR bonus_count_card_template_id IS NOT NULL OR bonus_coupon_template_id IS NOT NULL))`,
    );
    // The one settings row, with the defaults.
    await queryRunner.query(`INSERT INTO "pricing_settings" ("id") VALUES (1)`);
    await queryRunner.query(`ALTER TABLE "coupon" ADD CONSTRAINT "FK_9de09b3abc3fc0f185330f95ce1" FOREIGN KEY ("template_id") REFERENCES "coupon_template"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "coupon" ADD CONSTRAINT "FK_d0b8b81f4e4a52753a21c6c3099" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "coupon" ADD CONSTRAINT "FK_1634463878cf3e6004809a8ef05" FOREIGN KEY ("issued_store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "coupon" ADD CONSTRAINT "FK_90b18c588b377291025096dadc1" FOREIGN KEY ("issued_by_staff_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "coupon_issue_run" ADD CONSTRAINT "FK_23e48b6b19526a1021e7a40ab58" FOREIGN KEY ("template_id") REFERENCES "coupon_template"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "flash_sale_member" ADD CONSTRAINT "FK_df898030384daa5c299ac0abac8" FOREIGN KEY ("promotion_id") REFERENCES "promotion"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "flash_sale_member" ADD CONSTRAINT "FK_0302be785f04525d5b72c40a5b3" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "flash_sale_take" ADD CONSTRAINT "FK_39d7502b8b418bb16465969b9ab" FOREIGN KEY ("promotion_id") REFERENCES "promotion"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "flash_sale_take" ADD CONSTRAINT "FK_192639edd2120fa3a6b7caf8bca" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "flash_sale_take" ADD CONSTRAINT "FK_596b1f66b879191491b9a27ff7b" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "flash_sale_take" DROP CONSTRAINT "FK_596b1f66b879191491b9a27ff7b"`);
    await queryRunner.query(`ALTER TABLE "flash_sale_take" DROP CONSTRAINT "FK_192639edd2120fa3a6b7caf8bca"`);
    await queryRunner.query(`ALTER TABLE "flash_sale_take" DROP CONSTRAINT "FK_39d7502b8b418bb16465969b9ab"`);
    await queryRunner.query(`ALTER TABLE "flash_sale_member" DROP CONSTRAINT "FK_0302be785f04525d5b72c40a5b3"`);
    await queryRunner.query(`ALTER TABLE "flash_sale_member" DROP CONSTRAINT "FK_df898030384daa5c299ac0abac8"`);
    await queryRunner.query(`ALTER TABLE "coupon_issue_run" DROP CONSTRAINT "FK_23e48b6b19526a1021e7a40ab58"`);
    await queryRunner.query(`ALTER TABLE "coupon" DROP CONSTRAINT "FK_90b18c588b377291025096dadc1"`);
    await queryRunner.query(`ALTER TABLE "coupon" DROP CONSTRAINT "FK_1634463878cf3e6004809a8ef05"`);
    await queryRunner.query(`ALTER TABLE "coupon" DROP CONSTRAINT "FK_d0b8b81f4e4a52753a21c6c3099"`);
    await queryRunner.query(`ALTER TABLE "coupon" DROP CONSTRAINT "FK_9de09b3abc3fc0f185330f95ce1"`);
    await queryRunner.query(`ALTER TABLE "wallet_bonus_rule" DROP CONSTRAINT "wallet_bonus_rule_bonus_check"`);
    await queryRunner.query(
      `ALTER TABLE "wallet_bonus_rule" ADD CONSTRAINT "wallet_bonus_rule_bonus_check" CHECK (bonus_fen >= 0 AND bonus_points >= 0 AND (bonus_fen > 0 OR bonus_points > 0 OR bonus_count_card_template_id IS NOT NULL))`,
    );
    await queryRunner.query(`ALTER TABLE "wallet_top_up" DROP COLUMN "bonus_coupon_id"`);
    await queryRunner.query(`ALTER TABLE "wallet_bonus_rule" DROP COLUMN "bonus_coupon_template_id"`);
    await queryRunner.query(`DROP INDEX "public"."flash_sale_take_line_unique"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_39d7502b8b418bb16465969b9a"`);
    await queryRunner.query(`DROP TABLE "flash_sale_take"`);
    await queryRunner.query(`DROP TABLE "flash_sale_member"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_59ec125b83aa7e27fd4e3e2408"`);
    await queryRunner.query(`DROP TABLE "promotion"`);
    await queryRunner.query(`DROP TABLE "pricing_settings"`);
    await queryRunner.query(`DROP TABLE "coupon_issue_run"`);
    await queryRunner.query(`DROP INDEX "public"."coupon_code_unique"`);
    await queryRunner.query(`DROP INDEX "public"."coupon_event_once"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6655faf186ad261d995a9d6eb7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_30b0591d3e2376dd639d3a8f5a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_24998b505b4f86f016b6755323"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b1f7ec28e9fda221cd4a39cba4"`);
    await queryRunner.query(`DROP TABLE "coupon"`);
    await queryRunner.query(`DROP TABLE "coupon_template"`);
  }
}
