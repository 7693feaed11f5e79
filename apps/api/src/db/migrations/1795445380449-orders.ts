import type { MigrationInterface, QueryRunner } from 'typeorm';

const APPEND_ONLY = ['order_refund', 'order_refund_line', 'order_refund_payment'];

export class Orders1795445380449 implements MigrationInterface {
  name = 'Orders1795445380449';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "ticket" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "ticket_no" text NOT NULL, "kind" text NOT NULL, "status" text NOT NULL DEFAULT 'open', "store_id" uuid NOT NULL, "member_id" uuid, "label" text, "coupon_ids" uuid array NOT NULL DEFAULT '{}', "points_to_use" integer NOT NULL DEFAULT '0', "opened_by" uuid, "closed_by" uuid, "order_id" uuid, "cancel_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_6be067749c52defd8f6e5dc7036" UNIQUE ("ticket_no"), CONSTRAINT "ticket_points_check" CHECK (points_to_use >= 0), CONSTRAINT "ticket_status_check" CHECK (status IN ('open', 'settled', 'resumed', 'cancelled')), CONSTRAINT "ticket_kind_check" CHECK (kind IN ('open', 'parked')), CONSTRAINT "PK_d9a0835407701eb86f874474b7c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_a1d25397a9269160f2fc9eeea4" ON "ticket" ("store_id", "status", "created_at") `);
    await queryRunner.query(`CREATE TABLE "ticket_line" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "ticket_id" uuid NOT NULL, "sku_id" uuid NOT NULL, "name" text NOT NULL, "quantity" integer NOT NULL, "manual_discount_fen" bigint, "serving_staff_ids" uuid array NOT NULL DEFAULT '{}', "added_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ticket_line_quantity_check" CHECK (quantity > 0 AND (manual_discount_fen IS NULL OR manual_discount_fen >= 0)), CONSTRAINT "PK_1cc5a49cbb5b6a877b01fb7a4cc" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_fe4d1cecb13515a921889a0a4e" ON "ticket_line" ("ticket_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "sales_order" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_no" text NOT NULL, "kind" text NOT NULL, "status" text NOT NULL, "store_id" uuid NOT NULL, "member_id" uuid, "cashier_id" uuid, "shift_id" uuid, "ticket_id" uuid, "subtotal_fen" bigint NOT NULL, "discount_fen" bigint NOT NULL, "total_fen" bigint NOT NULL, "points_used" integer NOT NULL DEFAULT '0', "points_offset_fen" bigint NOT NULL DEFAULT '0', "due_fen" bigint NOT NULL, "points_eligible_fen" bigint NOT NULL DEFAULT '0', "points_earned" integer NOT NULL DEFAULT '0', "eligible_refunded_fen" bigint NOT NULL DEFAULT '0', "points_earn_reversed" integer NOT NULL DEFAULT '0', "refunded_fen" bigint NOT NULL DEFAULT '0', "order_discounts" jsonb NOT NULL DEFAULT '[]', "coupons" jsonb NOT NULL DEFAULT '[]', "member_after" jsonb, "memo" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_45e25517c798d1284c3ff59d43f" UNIQUE ("order_no"), CONSTRAINT "UQ_b449c41e872c51c615086fd50ee" UNIQUE ("ticket_id"), CONSTRAINT "order_points_check" CHECK (points_earned >= 0 AND points_earn_reversed BETWEEN 0 AND points_earned), CONSTRAINT "order_refunded_check" CHECK (refunded_fen BETWEEN 0 AND total_fen AND eligible_refunded_fen BETWEEN 0 AND points_eligible_fen), CONSTRAINT "order_amounts_check" CHECK (total_fen >= 0 AND points_offset_fen >= 0 AND points_used >= 0 AND due_fen = total_fen - points_offset_fen AND due_fen >= 0), CONSTRAINT "order_status_check" CHECK (status IN ('pending_payment', 'completed', 'partially_refunded', 'refunded', 'cancelled')), CONSTRAINT "order_kind_check" CHECK (kind IN ('sale', 'quick')), CONSTRAINT "PK_1631a193003bfc4297c61ba38ba" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_2056d2795dca31bc5b71604850" ON "sales_order" ("cashier_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_98dfff8fff7e73e9ae13a601b8" ON "sales_order" ("member_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_1d5c6a60700cc93d4c104da21f" ON "sales_order" ("store_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "order_line" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "line_no" integer NOT NULL, "kind" text NOT NULL, "sku_id" uuid, "product_id" uuid, "category_id" uuid, "name" text NOT NULL, "quantity" integer NOT NULL, "unit_price_fen" bigint NOT NULL, "original_fen" bigint NOT NULL, "discount_fen" bigint NOT NULL, "total_fen" bigint NOT NULL, "cost_fen" bigint NOT NULL DEFAULT '0', "discounts" jsonb NOT NULL DEFAULT '[]', "points_eligible" boolean NOT NULL DEFAULT true, "covered_units" integer NOT NULL DEFAULT '0', "covered_fen" bigint NOT NULL DEFAULT '0', "money_fen" bigint NOT NULL, "eligible_fen" bigint NOT NULL DEFAULT '0', "refunded_quantity" integer NOT NULL DEFAULT '0', "refunded_fen" bigint NOT NULL DEFAULT '0', "refunded_money_fen" bigint NOT NULL DEFAULT '0', CONSTRAINT "order_line_no_unique" UNIQUE ("order_id", "line_no"), CONSTRAINT "order_line_refunded_check" CHECK (refunded_quantity BETWEEN 0 AND quantity AND refunded_fen BETWEEN 0 AND total_fen AND refunded_money_fen BETWEEN 0 AND money_fen), CONSTRAINT "order_line_covered_check" CHECK (covered_units BETWEEN 0 AND quantity AND eligible_fen BETWEEN 0 AND money_fen), CONSTRAINT "order_line_amounts_check" CHECK (quantity > 0 AND total_fen >= 0 AND original_fen >= 0 AND discount_fen >= 0 AND covered_fen >= 0 AND money_fen >= 0 AND covered_fen + money_fen = total_fen), CONSTRAINT "order_line_kind_check" CHECK (kind IN ('goods', 'service', 'amount')), CONSTRAINT "PK_01a7c973d9f30479647e44f9892" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_3429be660bbbb70d6ff3c42845" ON "order_line" ("sku_id") `);
    await queryRunner.query(`CREATE TABLE "order_line_staff" ("order_line_id" uuid NOT NULL, "staff_id" uuid NOT NULL, "seq" integer NOT NULL, CONSTRAINT "PK_d94156ccac12c2b190d1f65ac0e" PRIMARY KEY ("order_line_id", "staff_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_3c69fd5f29ebe4c7d354fb61a1" ON "order_line_staff" ("staff_id") `);
    await queryRunner.query(`CREATE TABLE "order_payment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "seq" integer NOT NULL, "method" text NOT NULL, "status" text NOT NULL, "amount_fen" bigint NOT NULL, "tendered_fen" bigint, "change_fen" bigint, "reference" text, "points" integer, "wallet_spend_id" uuid, "count_card_id" uuid, "order_line_id" uuid, "units" integer, "refunded_fen" bigint NOT NULL DEFAULT '0', "refunded_points" integer NOT NULL DEFAULT '0', "refunded_units" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "order_payment_seq_unique" UNIQUE ("order_id", "seq"), CONSTRAINT "order_payment_change_check" CHECK (tendered_fen IS NULL OR (change_fen = tendered_fen - amount_fen AND change_fen >= 0)), CONSTRAINT "order_payment_cash_check" CHECK ((method = 'cash') OR (tendered_fen IS NULL AND change_fen IS NULL)), CONSTRAINT "order_payment_count_card_check" CHECK ((method = 'count_card') = (count_card_id IS NOT NULL) AND (method <> 'count_card' OR (order_line_id IS NOT NULL AND units > 0 AND refunded_units BETWEEN 0 AND units))), CONSTRAINT "order_payment_points_check" CHECK ((method = 'points') = (points IS NOT NULL) AND (points IS NULL OR (points > 0 AND refunded_points BETWEEN 0 AND points))), CONSTRAINT "order_payment_amount_check" CHECK (amount_fen > 0 AND refunded_fen BETWEEN 0 AND amount_fen), CONSTRAINT "order_payment_status_check" CHECK (status IN ('pending', 'completed', 'failed')), CONSTRAINT "order_payment_method_check" CHECK (method IN ('points', 'stored_value', 'count_card', 'bank_card', 'wechat', 'cash')), CONSTRAINT "PK_28c756d4fd41223fedfbd2750e1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "order_payment_provider_ref_unique" ON "order_payment" ("method", "reference") WHERE method = 'wechat' AND reference IS NOT NULL`);
    await queryRunner.query(`CREATE TABLE "order_refund" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "refund_no" text NOT NULL, "order_id" uuid NOT NULL, "store_id" uuid NOT NULL, "staff_id" uuid, "shift_id" uuid, "reason" text NOT NULL, "amount_fen" bigint NOT NULL, "money_fen" bigint NOT NULL, "points_returned" integer NOT NULL DEFAULT '0', "points_earned_back" integer NOT NULL DEFAULT '0', "points_earn_reversed" integer NOT NULL DEFAULT '0', "points_debt" integer NOT NULL DEFAULT '0', "full_refund" boolean NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_549550bd3389729fd7e61ea6cdb" UNIQUE ("refund_no"), CONSTRAINT "order_refund_amounts_check" CHECK (amount_fen >= 0 AND money_fen BETWEEN 0 AND amount_fen AND points_returned >= 0 AND points_earned_back >= 0 AND points_earn_reversed >= 0 AND points_debt >= 0 AND points_earn_reversed + points_debt = points_earned_back), CONSTRAINT "PK_312fcfa56a940659b659e400b7e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_8a157a2ff2a40f0e002233d670" ON "order_refund" ("store_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_76d186e95fa25092042cbf531f" ON "order_refund" ("order_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "order_refund_line" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "refund_id" uuid NOT NULL, "order_line_id" uuid NOT NULL, "quantity" integer NOT NULL, "amount_fen" bigint NOT NULL, "covered_units" integer NOT NULL DEFAULT '0', "covered_fen" bigint NOT NULL DEFAULT '0', "money_fen" bigint NOT NULL, "eligible_fen" bigint NOT NULL DEFAULT '0', CONSTRAINT "order_refund_line_amounts_check" CHECK (quantity >= 0 AND amount_fen >= 0 AND covered_units >= 0 AND covered_fen >= 0 AND money_fen >= 0 AND covered_fen + money_fen = amount_fen AND eligible_fen BETWEEN 0 AND money_fen), CONSTRAINT "PK_5c0b1fe00ea87d999703e1ee496" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_a9365aa8f3b27aa05aeca7ccf8" ON "order_refund_line" ("order_line_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_7c65e8e9ac04c60a7494ef0087" ON "order_refund_line" ("refund_id") `);
    await queryRunner.query(`CREATE TABLE "order_refund_payment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "refund_id" uuid NOT NULL, "order_payment_id" uuid NOT NULL, "method" text NOT NULL, "amount_fen" bigint NOT NULL, "points" integer NOT NULL DEFAULT '0', "units" integer NOT NULL DEFAULT '0', CONSTRAINT "order_refund_payment_amounts_check" CHECK (amount_fen > 0 AND points >= 0 AND units >= 0), CONSTRAINT "PK_41b8b19d60ce036fcc00b0cd26a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_d448b885b0f442b15c42c2e167" ON "order_refund_payment" ("order_payment_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_6926532167d08e73565fcc4d25" ON "order_refund_payment" ("refund_id") `);
    await queryRunner.query(`CREATE TABLE "order_points_debt" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "refund_id" uuid NOT NULL, "points" integer NOT NULL, "settled_points" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_93b75d578258afd5b5c6d5ae695" UNIQUE ("refund_id"), CONSTRAINT "order_points_debt_check" CHECK (points > 0 AND settled_points BETWEEN 0 AND points), CONSTRAINT "PK_48b8e860e2b5ad0e4aaf85712e1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "order_points_debt_open" ON "order_points_debt" ("member_id", "created_at") WHERE settled_points < points`);
    await queryRunner.query(`CREATE TABLE "order_settings" ("id" smallint NOT NULL DEFAULT '1', "points_clawback" text NOT NULL DEFAULT 'record_debt', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "order_settings_points_clawback_check" CHECK (points_clawback IN ('refuse', 'record_debt')), CONSTRAINT "order_settings_single_row" CHECK (id = 1), CONSTRAINT "PK_c41729af5f41f5f42185ec59e89" PRIMARY KEY ("id"))`);
    await queryRunner.query(`ALTER TABLE "count_card_redemption" ADD "ref_type" text`);
    await queryRunner.query(`ALTER TABLE "count_card_redemption" ADD "ref_id" text`);
    await queryRunner.query(`CREATE INDEX "IDX_992478587bc7c2ebc3d3a8d252" ON "count_card_redemption" ("ref_type", "ref_id") `);
    await queryRunner.query(`ALTER TABLE "ticket" ADD CONSTRAINT "FK_c8e543350f39ce884bb92b5f98c" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD CONSTRAINT "FK_3bf35cd314501b979521213d7ba" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "ticket" ADD CONSTRAINT "FK_b19946b20e5729ca1e2b42fbbb7" FOREIGN KEY ("opened_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "ticket_line" ADD CONSTRAINT "FK_4ff4b4ad16985ba14df49c3e219" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "ticket_line" ADD CONSTRAINT "FK_08261d1c475dd76395b55e3bf45" FOREIGN KEY ("sku_id") REFERENCES "sku"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sales_order" ADD CONSTRAINT "FK_eafe0bb999ccac05fc2de0b552e" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sales_order" ADD CONSTRAINT "FK_8b12a3ba91287ffe7f08ce3955c" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sales_order" ADD CONSTRAINT "FK_8fd192aadd5eed0cacf628cb1cd" FOREIGN KEY ("cashier_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sales_order" ADD CONSTRAINT "FK_e3bee2af6321d27ca1ef088fefa" FOREIGN KEY ("shift_id") REFERENCES "shift"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sales_order" ADD CONSTRAINT "FK_b449c41e872c51c615086fd50ee" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_line" ADD CONSTRAINT "FK_ed8fae6d7239e9d730219215af7" FOREIGN KEY ("order_id") REFERENCES "sales_order"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_line" ADD CONSTRAINT "FK_3429be660bbbb70d6ff3c42845d" FOREIGN KEY ("sku_id") REFERENCES "sku"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_line_staff" ADD CONSTRAINT "FK_49451649a3173f72f5f69477b19" FOREIGN KEY ("order_line_id") REFERENCES "order_line"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_line_staff" ADD CONSTRAINT "FK_3c69fd5f29ebe4c7d354fb61a18" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_payment" ADD CONSTRAINT "FK_fb74ab8e4ee3d2c6e73c261d8e3" FOREIGN KEY ("order_id") REFERENCES "sales_order"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_refund" ADD CONSTRAINT "FK_a2894526202be47872510866d71" FOREIGN KEY ("order_id") REFERENCES "sales_order"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_refund" ADD CONSTRAINT "FK_82dd3c908875e3a71b5c44ea659" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_refund" ADD CONSTRAINT "FK_ef1e1c7a7cdd4791866fdd0a03d" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_refund" ADD CONSTRAINT "FK_f203f47c0658172bd875cbde37b" FOREIGN KEY ("shift_id") REFERENCES "shift"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_refund_line" ADD CONSTRAINT "FK_7c65e8e9ac04c60a7494ef00879" FOREIGN KEY ("refund_id") REFERENCES "order_refund"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_refund_line" ADD CONSTRAINT "FK_a9365aa8f3b27aa05aeca7ccf88" FOREIGN KEY ("order_line_id") REFERENCES "order_line"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_refund_payment" ADD CONSTRAINT "FK_6926532167d08e73565fcc4d257" FOREIGN KEY ("refund_id") REFERENCES "order_refund"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_refund_payment" ADD CONSTRAINT "FK_d448b885b0f442b15c42c2e1675" FOREIGN KEY ("order_payment_id") REFERENCES "order_payment"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_points_debt" ADD CONSTRAINT "FK_56ede3c6067f827d142af877d28" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "order_points_debt" ADD CONSTRAINT "FK_93b75d578258afd5b5c6d5ae695" FOREIGN KEY ("refund_id") REFERENCES "order_refund"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // Hand-added: the settings row, the number sequences, and refunds as append-only records.
    await queryRunner.query(`INSERT INTO "order_settings" ("id") VALUES (1)`);
    await queryRunner.query(`CREATE SEQUENCE order_no_seq START 1`);
    await queryRunner.query(`CREATE SEQUENCE ticket_no_seq START 1`);
    for (const t of APPEND_ONLY) {
      await queryRunner.query(`CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON "${t}" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
      await queryRunner.query(`CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON "${t}" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const t of APPEND_ONLY) {
      await queryRunner.query(`DROP TRIGGER ${t}_no_truncate ON "${t}"`);
      await queryRunner.query(`DROP TRIGGER ${t}_append_only ON "${t}"`);
    }
    await queryRunner.query(`DROP SEQUENCE ticket_no_seq`);
    await queryRunner.query(`DROP SEQUENCE order_no_seq`);
    await queryRunner.query(`ALTER TABLE "order_points_debt" DROP CONSTRAINT "FK_93b75d578258afd5b5c6d5ae695"`);
    await queryRunner.query(`ALTER TABLE "order_points_debt" DROP CONSTRAINT "FK_56ede3c6067f827d142af877d28"`);
    await queryRunner.query(`ALTER TABLE "order_refund_payment" DROP CONSTRAINT "FK_d448b885b0f442b15c42c2e1675"`);
    await queryRunner.query(`ALTER TABLE "order_refund_payment" DROP CONSTRAINT "FK_6926532167d08e73565fcc4d257"`);
    await queryRunner.query(`ALTER TABLE "order_refund_line" DROP CONSTRAINT "FK_a9365aa8f3b27aa05aeca7ccf88"`);
    await queryRunner.query(`ALTER TABLE "order_refund_line" DROP CONSTRAINT "FK_7c65e8e9ac04c60a7494ef00879"`);
    await queryRunner.query(`ALTER TABLE "order_refund" DROP CONSTRAINT "FK_f203f47c0658172bd875cbde37b"`);
    await queryRunner.query(`ALTER TABLE "order_refund" DROP CONSTRAINT "FK_ef1e1c7a7cdd4791866fdd0a03d"`);
    await queryRunner.query(`ALTER TABLE "order_refund" DROP CONSTRAINT "FK_82dd3c908875e3a71b5c44ea659"`);
    await queryRunner.query(`ALTER TABLE "order_refund" DROP CONSTRAINT "FK_a2894526202be47872510866d71"`);
    await queryRunner.query(`ALTER TABLE "order_payment" DROP CONSTRAINT "FK_fb74ab8e4ee3d2c6e73c261d8e3"`);
    await queryRunner.query(`ALTER TABLE "order_line_staff" DROP CONSTRAINT "FK_3c69fd5f29ebe4c7d354fb61a18"`);
    await queryRunner.query(`ALTER TABLE "order_line_staff" DROP CONSTRAINT "FK_49451649a3173f72f5f69477b19"`);
    await queryRunner.query(`ALTER TABLE "order_line" DROP CONSTRAINT "FK_3429be660bbbb70d6ff3c42845d"`);
    await queryRunner.query(`ALTER TABLE "order_line" DROP CONSTRAINT "FK_ed8fae6d7239e9d730219215af7"`);
    await queryRunner.query(`ALTER TABLE "sales_order" DROP CONSTRAINT "FK_b449c41e872c51c615086fd50ee"`);
    await queryRunner.query(`ALTER TABLE "sales_order" DROP CONSTRAINT "FK_e3bee2af6321d27ca1ef088fefa"`);
    await queryRunner.query(`ALTER TABLE "sales_order" DROP CONSTRAINT "FK_8fd192aadd5eed0cacf628cb1cd"`);
    await queryRunner.query(`ALTER TABLE "sales_order" DROP CONSTRAINT "FK_8b12a3ba91287ffe7f08ce3955c"`);
    await queryRunner.query(`ALTER TABLE "sales_order" DROP CONSTRAINT "FK_eafe0bb999ccac05fc2de0b552e"`);
    await queryRunner.query(`ALTER TABLE "ticket_line" DROP CONSTRAINT "FK_08261d1c475dd76395b55e3bf45"`);
    await queryRunner.query(`ALTER TABLE "ticket_line" DROP CONSTRAINT "FK_4ff4b4ad16985ba14df49c3e219"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP CONSTRAINT "FK_b19946b20e5729ca1e2b42fbbb7"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP CONSTRAINT "FK_3bf35cd314501b979521213d7ba"`);
    await queryRunner.query(`ALTER TABLE "ticket" DROP CONSTRAINT "FK_c8e543350f39ce884bb92b5f98c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_992478587bc7c2ebc3d3a8d252"`);
    await queryRunner.query(`ALTER TABLE "count_card_redemption" DROP COLUMN "ref_id"`);
    await queryRunner.query(`ALTER TABLE "count_card_redemption" DROP COLUMN "ref_type"`);
    await queryRunner.query(`DROP TABLE "order_settings"`);
    await queryRunner.query(`DROP INDEX "public"."order_points_debt_open"`);
    await queryRunner.query(`DROP TABLE "order_points_debt"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6926532167d08e73565fcc4d25"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d448b885b0f442b15c42c2e167"`);
    await queryRunner.query(`DROP TABLE "order_refund_payment"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7c65e8e9ac04c60a7494ef0087"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a9365aa8f3b27aa05aeca7ccf8"`);
    await queryRunner.query(`DROP TABLE "order_refund_line"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_76d186e95fa25092042cbf531f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8a157a2ff2a40f0e002233d670"`);
    await queryRunner.query(`DROP TABLE "order_refund"`);
    await queryRunner.query(`DROP INDEX "public"."order_payment_provider_ref_unique"`);
    await queryRunner.query(`DROP TABLE "order_payment"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3c69fd5f29ebe4c7d354fb61a1"`);
    await queryRunner.query(`DROP TABLE "order_line_staff"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3429be660bbbb70d6ff3c42845"`);
    await queryRunner.query(`DROP TABLE "order_line"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1d5c6a60700cc93d4c104da21f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_98dfff8fff7e73e9ae13a601b8"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2056d2795dca31bc5b71604850"`);
    await queryRunner.query(`DROP TABLE "sales_order"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fe4d1cecb13515a921889a0a4e"`);
    await queryRunner.query(`DROP TABLE "ticket_line"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a1d25397a9269160f2fc9eeea4"`);
    await queryRunner.query(`DROP TABLE "ticket"`);
  }
}
