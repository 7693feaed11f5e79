import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PointsMall1795434141902 implements MigrationInterface {
  name = 'PointsMall1795434141902';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "gift" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "description" text NOT NULL DEFAULT '', "image_url" text, "category" text NOT NULL DEFAULT '', "points_price" bigint NOT NULL, "cash_fen" bigint NOT NULL DEFAULT '0', "status" text NOT NULL DEFAULT 'on_sale', "per_member_limit" integer, "sort_order" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "gift_limit_check" CHECK (per_member_limit IS NULL OR per_member_limit > 0), CONSTRAINT "gift_prices_check" CHECK (points_price >= 0 AND cash_fen >= 0 AND points_price + cash_fen > 0), CONSTRAINT "gift_status_check" CHECK (status IN ('on_sale', 'off_sale')), CONSTRAINT "PK_f91217caddc01a085837ebe0606" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "gift_stock" ("gift_id" uuid NOT NULL, "store_id" uuid NOT NULL, "quantity" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "gift_stock_quantity_non_negative" CHECK (quantity >= 0), CONSTRAINT "PK_fa04ce46cc1ec402fd60a85a5bd" PRIMARY KEY ("gift_id", "store_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_eaba9a61060977f659859aa340" ON "gift_stock" ("store_id") `);
    await queryRunner.query(`CREATE TABLE "gift_stock_movement" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "gift_id" uuid NOT NULL, "store_id" uuid NOT NULL, "delta" integer NOT NULL, "quantity_after" integer NOT NULL, "reason" text NOT NULL, "note" text NOT NULL DEFAULT '', "ref_type" text, "ref_id" text, "operator_kind" text NOT NULL, "operator_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "gift_stock_movement_after_non_negative" CHECK (quantity_after >= 0), CONSTRAINT "gift_stock_movement_delta_non_zero" CHECK (delta <> 0), CONSTRAINT "PK_1b4503a40e2f8fbb7a94f4db934" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_17b43964994d859e5b2c81bd54" ON "gift_stock_movement" ("gift_id", "store_id", "id") `);
    await queryRunner.query(`CREATE TABLE "mall_redemption" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "gift_id" uuid NOT NULL, "store_id" uuid NOT NULL, "points" bigint NOT NULL, "cash_fen" bigint NOT NULL DEFAULT '0', "payment_method" text, "pickup_code" text NOT NULL, "status" text NOT NULL DEFAULT 'pending', "created_by_kind" text NOT NULL, "created_by_id" uuid, "fulfilled_at" TIMESTAMP WITH TIME ZONE, "fulfilled_by_staff_id" uuid, "cancelled_at" TIMESTAMP WITH TIME ZONE, "cancelled_by_kind" text, "cancelled_by_id" uuid, "cancel_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "mall_redemption_payment_check" CHECK ((cash_fen = 0 AND payment_method IS NULL) OR (cash_fen > 0 AND payment_method IN ('cash', 'bank_card'))), CONSTRAINT "mall_redemption_status_check" CHECK (status IN ('pending', 'fulfilled', 'cancelled')), CONSTRAINT "PK_73d6e95c051cf8efca69dd791a0" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "mall_redemption_open_code_unique" ON "mall_redemption" ("pickup_code") WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX "IDX_271aee527759dc8f82c8467fbe" ON "mall_redemption" ("member_id", "gift_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_abb36781270a877a688e00b44e" ON "mall_redemption" ("member_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_10451bca7a728d63363ab14dce" ON "mall_redemption" ("store_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "points_settings" ("id" integer NOT NULL, "earn_points" integer NOT NULL DEFAULT '1', "earn_per_fen" integer NOT NULL DEFAULT '100', "stage_rates" jsonb NOT NULL DEFAULT '[]', "birthday_multiplier_bps" integer NOT NULL DEFAULT '10000', "referral_bonus_points" integer NOT NULL DEFAULT '0', "review_bonus_points" integer NOT NULL DEFAULT '0', "excluded_category_ids" uuid array NOT NULL DEFAULT '{}', "expiry_policy" text NOT NULL DEFAULT 'end_of_next_year', "exchange_enabled" boolean NOT NULL DEFAULT false, "exchange_points" integer NOT NULL DEFAULT '100', "exchange_fen" integer NOT NULL DEFAULT '100', "offset_points" integer NOT NULL DEFAULT '100', "offset_fen" integer NOT NULL DEFAULT '100', "offset_max_bps" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "points_settings_expiry_policy_check" CHECK (expiry_policy IN ('never', 'end_of_next_year')), CONSTRAINT "points_settings_single_row" CHECK (id = 1), CONSTRAINT "PK_5a6f590e91992eb01cc9b3541a0" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "point_lot" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "year" integer NOT NULL, "remaining" bigint NOT NULL DEFAULT '0', "expired" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "point_lot_remaining_non_negative" CHECK (remaining >= 0), CONSTRAINT "PK_452f054ea1c426cfec5001a804a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_279f6fe4f073b98322cb4e43bf" ON "point_lot" ("year") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "point_lot_member_year_unique" ON "point_lot" ("member_id", "year") `);
    await queryRunner.query(`CREATE TABLE "point_lot_move" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "lot_id" uuid NOT NULL, "member_id" uuid NOT NULL, "amount" bigint NOT NULL, "reason" text NOT NULL, "ref_type" text NOT NULL, "ref_id" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "point_lot_move_amount_non_zero" CHECK (amount <> 0), CONSTRAINT "PK_f98376c9b05f574180ab5ed92e9" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_094e570ba2b171d46b0633ebdb" ON "point_lot_move" ("ref_type", "ref_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_e9cdc290f2f3d9d59ee13920e8" ON "point_lot_move" ("lot_id", "id") `);
    await queryRunner.query(`CREATE TABLE "point_earning" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "store_id" uuid, "kind" text NOT NULL, "source_type" text NOT NULL, "source_id" text NOT NULL, "eligible_amount_fen" bigint NOT NULL DEFAULT '0', "multiplier_bps" integer NOT NULL DEFAULT '10000', "points" bigint NOT NULL, "reversed_points" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "point_earning_reversed_within" CHECK (reversed_points >= 0 AND reversed_points <= points), CONSTRAINT "point_earning_kind_check" CHECK (kind IN ('purchase', 'referral', 'review')), CONSTRAINT "PK_7a541f6b0cda82746db14e869fd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_07ed551a4b19f18d4cf618a4c4" ON "point_earning" ("member_id", "created_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "point_earning_source_unique" ON "point_earning" ("kind", "source_type", "source_id") `);
    await queryRunner.query(`CREATE TABLE "point_adjustment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "store_id" uuid NOT NULL, "points" bigint NOT NULL, "reason" text NOT NULL, "staff_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "point_adjustment_points_non_zero" CHECK (points <> 0), CONSTRAINT "PK_5fe5d96359cfd5a02240a73a44d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_b52016070041a21fef04bd8ed7" ON "point_adjustment" ("store_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_6de4963f350075e374a4f704bf" ON "point_adjustment" ("member_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "point_exchange" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "store_id" uuid, "points" bigint NOT NULL, "value_fen" bigint NOT NULL, "operator_kind" text NOT NULL, "operator_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "point_exchange_positive" CHECK (points > 0 AND value_fen > 0), CONSTRAINT "PK_7f71fd0b45aee282b07eccea0ee" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_d651a5852cb4416fbedf45f790" ON "point_exchange" ("member_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "gift_stock" ADD CONSTRAINT "FK_8c13d8e42d3b222fb9b4914950b" FOREIGN KEY ("gift_id") REFERENCES "gift"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gift_stock" ADD CONSTRAINT "FK_eaba9a61060977f659859aa340b" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gift_stock_movement" ADD CONSTRAINT "FK_13d74886b0eea7be59c793520e3" FOREIGN KEY ("gift_id") REFERENCES "gift"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gift_stock_movement" ADD CONSTRAINT "FK_9c4efb91a0e4cd9cdc59b9bb948" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "mall_redemption" ADD CONSTRAINT "FK_73bec72ae8b0d196bc8db109190" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "mall_redemption" ADD CONSTRAINT "FK_62791f9964dcb8c7d60665ed0ff" FOREIGN KEY ("gift_id") REFERENCES "gift"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "mall_redemption" ADD CONSTRAINT "FK_bdf16c1686decb7e9cc08a8f9c1" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "point_lot" ADD CONSTRAINT "FK_62b62ecd6e48e08656d0ab30886" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "point_lot_move" ADD CONSTRAINT "FK_18395082be51e1cd4983c4dcd30" FOREIGN KEY ("lot_id") REFERENCES "point_lot"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "point_earning" ADD CONSTRAINT "FK_0d7ab798a6198adb52f8be8d8ed" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "point_adjustment" ADD CONSTRAINT "FK_fd6fabfa4b8f36dd8e6fc7348cf" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "point_exchange" ADD CONSTRAINT "FK_5f8106635438cde04a725d41a15" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // Hand-added: the lot and stock histories are append-only like ledger_entry; the rules row exists from the start.
    await queryRunner.query(`CREATE TRIGGER point_lot_move_append_only BEFORE UPDATE OR DELETE ON "point_lot_move" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER point_lot_move_no_truncate BEFORE TRUNCATE ON "point_lot_move" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER gift_stock_movement_append_only BEFORE UPDATE OR DELETE ON "gift_stock_movement" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER gift_stock_movement_no_truncate BEFORE TRUNCATE ON "gift_stock_movement" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`INSERT INTO "points_settings" ("id") VALUES (1)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER gift_stock_movement_no_truncate ON "gift_stock_movement"`);
    await queryRunner.query(`DROP TRIGGER gift_stock_movement_append_only ON "gift_stock_movement"`);
    await queryRunner.query(`DROP TRIGGER point_lot_move_no_truncate ON "point_lot_move"`);
    await queryRunner.query(`DROP TRIGGER point_lot_move_append_only ON "point_lot_move"`);
    await queryRunner.query(`ALTER TABLE "point_exchange" DROP CONSTRAINT "FK_5f8106635438cde04a725d41a15"`);
    await queryRunner.query(`ALTER TABLE "point_adjustment" DROP CONSTRAINT "FK_fd6fabfa4b8f36dd8e6fc7348cf"`);
    await queryRunner.query(`ALTER TABLE "point_earning" DROP CONSTRAINT "FK_0d7ab798a6198adb52f8be8d8ed"`);
    await queryRunner.query(`ALTER TABLE "point_lot_move" DROP CONSTRAINT "FK_18395082be51e1cd4983c4dcd30"`);
    await queryRunner.query(`ALTER TABLE "point_lot" DROP CONSTRAINT "FK_62b62ecd6e48e08656d0ab30886"`);
    await queryRunner.query(`ALTER TABLE "mall_redemption" DROP CONSTRAINT "FK_bdf16c1686decb7e9cc08a8f9c1"`);
    await queryRunner.query(`ALTER TABLE "mall_redemption" DROP CONSTRAINT "FK_62791f9964dcb8c7d60665ed0ff"`);
    await queryRunner.query(`ALTER TABLE "mall_redemption" DROP CONSTRAINT "FK_73bec72ae8b0d196bc8db109190"`);
    await queryRunner.query(`ALTER TABLE "gift_stock_movement" DROP CONSTRAINT "FK_9c4efb91a0e4cd9cdc59b9bb948"`);
    await queryRunner.query(`ALTER TABLE "gift_stock_movement" DROP CONSTRAINT "FK_13d74886b0eea7be59c793520e3"`);
    await queryRunner.query(`ALTER TABLE "gift_stock" DROP CONSTRAINT "FK_eaba9a61060977f659859aa340b"`);
    await queryRunner.query(`ALTER TABLE "gift_stock" DROP CONSTRAINT "FK_8c13d8e42d3b222fb9b4914950b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d651a5852cb4416fbedf45f790"`);
    await queryRunner.query(`DROP TABLE "point_exchange"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6de4963f350075e374a4f704bf"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b52016070041a21fef04bd8ed7"`);
    await queryRunner.query(`DROP TABLE "point_adjustment"`);
    await queryRunner.query(`DROP INDEX "public"."point_earning_source_unique"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_07ed551a4b19f18d4cf618a4c4"`);
    await queryRunner.query(`DROP TABLE "point_earning"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e9cdc290f2f3d9d59ee13920e8"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_094e570ba2b171d46b0633ebdb"`);
    await queryRunner.query(`DROP TABLE "point_lot_move"`);
    await queryRunner.query(`DROP INDEX "public"."point_lot_member_year_unique"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_279f6fe4f073b98322cb4e43bf"`);
    await queryRunner.query(`DROP TABLE "point_lot"`);
    await queryRunner.query(`DROP TABLE "points_settings"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_10451bca7a728d63363ab14dce"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_abb36781270a877a688e00b44e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_271aee527759dc8f82c8467fbe"`);
    await queryRunner.query(`DROP INDEX "public"."mall_redemption_open_code_unique"`);
    await queryRunner.query(`DROP TABLE "mall_redemption"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_17b43964994d859e5b2c81bd54"`);
    await queryRunner.query(`DROP TABLE "gift_stock_movement"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_eaba9a61060977f659859aa340"`);
    await queryRunner.query(`DROP TABLE "gift_stock"`);
    await queryRunner.query(`DROP TABLE "gift"`);
  }
}
