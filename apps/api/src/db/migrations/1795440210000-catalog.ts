import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Catalog1795440210000 implements MigrationInterface {
  name = 'Catalog1795440210000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "category" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "parent_id" uuid, "name" text NOT NULL, "sort_order" integer NOT NULL DEFAULT '0', "status" text NOT NULL DEFAULT 'active', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "category_not_own_parent" CHECK (parent_id IS NULL OR parent_id <> id), CONSTRAINT "category_status_check" CHECK (status IN ('active', 'inactive')), CONSTRAINT "PK_9c4e4a89e3674fc9f382d733f03" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_372d879aeb38cfbb0fe03704f3" ON "category" ("parent_id", "sort_order") `);
    await queryRunner.query(`CREATE TABLE "product" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "kind" text NOT NULL, "category_id" uuid, "code" text, "description" text NOT NULL DEFAULT '', "duration_minutes" integer, "status" text NOT NULL DEFAULT 'active', "sort_order" integer NOT NULL DEFAULT '0', "pinyin_initials" text NOT NULL DEFAULT '', "pinyin_full" text NOT NULL DEFAULT '', "pinyin_search" text NOT NULL DEFAULT '', "search_grams" text array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "product_duration_check" CHECK ((kind = 'service' AND duration_minutes > 0) OR (kind = 'goods' AND duration_minutes IS NULL)), CONSTRAINT "product_status_check" CHECK (status IN ('active', 'inactive')), CONSTRAINT "product_kind_check" CHECK (kind IN ('goods', 'service')), CONSTRAINT "PK_bebc9158e480b949565b4dc7a82" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "product_code_unique" ON "product" ("code") `);
    await queryRunner.query(`CREATE INDEX "IDX_c58a0ebb26c5b916ea7704a22f" ON "product" ("kind", "status") `);
    await queryRunner.query(`CREATE INDEX "IDX_0dce9bc93c2d2c399982d04bef" ON "product" ("category_id") `);
    await queryRunner.query(`CREATE TABLE "sku" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "product_id" uuid NOT NULL, "spec_name" text, "barcode" text, "unit" text NOT NULL, "cost_fen" bigint NOT NULL DEFAULT '0', "price_fen" bigint NOT NULL, "member_price_fen" bigint, "status" text NOT NULL DEFAULT 'active', "track_stock" boolean NOT NULL, "sort_order" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "sku_prices_check" CHECK (cost_fen >= 0 AND price_fen >= 0 AND (member_price_fen IS NULL OR member_price_fen BETWEEN 0 AND price_fen)), CONSTRAINT "sku_status_check" CHECK (status IN ('active', 'inactive')), CONSTRAINT "PK_ed102ac07c2cbc14c9a1438ecc2" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "sku_active_barcode_unique" ON "sku" ("barcode") WHERE status = 'active' AND barcode IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_0c3b6227313ef824222160d2a7" ON "sku" ("barcode") `);
    await queryRunner.query(`CREATE INDEX "IDX_b5eee6c02c1e7656e60752ccd5" ON "sku" ("product_id", "sort_order") `);
    await queryRunner.query(`CREATE TABLE "sku_store_price" ("store_id" uuid NOT NULL, "sku_id" uuid NOT NULL, "price_fen" bigint NOT NULL, "member_price_fen" bigint, "updated_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "sku_store_price_check" CHECK (price_fen >= 0 AND (member_price_fen IS NULL OR member_price_fen BETWEEN 0 AND price_fen)), CONSTRAINT "PK_9c61a6261554af76e03079ed3dd" PRIMARY KEY ("store_id", "sku_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_f1978d85ce60e181dc61c4ccbf" ON "sku_store_price" ("sku_id") `);
    await queryRunner.query(`CREATE TABLE "catalog_settings" ("id" integer NOT NULL DEFAULT '1', "allow_negative_stock" boolean NOT NULL DEFAULT false, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "catalog_settings_single_row" CHECK (id = 1), CONSTRAINT "PK_cc0bd90d42c7787e3de96286065" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "stock" ("store_id" uuid NOT NULL, "sku_id" uuid NOT NULL, "quantity" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c62e901feea16603332b310c8d2" PRIMARY KEY ("store_id", "sku_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_157b3e9bebea37fbbea236fdf4" ON "stock" ("sku_id") `);
    await queryRunner.query(`CREATE TABLE "stock_movement" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "store_id" uuid NOT NULL, "sku_id" uuid NOT NULL, "delta" integer NOT NULL, "quantity_after" integer NOT NULL, "reason" text NOT NULL, "note" text NOT NULL DEFAULT '', "ref_type" text NOT NULL, "ref_id" text NOT NULL, "operator_kind" text NOT NULL, "operator_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "stock_movement_delta_non_zero" CHECK (delta <> 0), CONSTRAINT "PK_9fe1232f916686ae8cf00294749" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_57e3c0235e15de8cb20779f00d" ON "stock_movement" ("ref_type", "ref_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_720817853ca441dedd3ded0371" ON "stock_movement" ("store_id", "sku_id", "id") `);
    await queryRunner.query(`ALTER TABLE "category" ADD CONSTRAINT "FK_1117b4fcb3cd4abb4383e1c2743" FOREIGN KEY ("parent_id") REFERENCES "category"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "product" ADD CONSTRAINT "FK_0dce9bc93c2d2c399982d04bef1" FOREIGN KEY ("category_id") REFERENCES "category"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sku" ADD CONSTRAINT "FK_4cf2c705528af77558dd98227df" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sku_store_price" ADD CONSTRAINT "FK_83cfd9513044612488b741b86f7" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sku_store_price" ADD CONSTRAINT "FK_f1978d85ce60e181dc61c4ccbf6" FOREIGN KEY ("sku_id") REFERENCES "sku"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "stock" ADD CONSTRAINT "FK_92a566e6562dea3a82bdd4d21cb" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "stock" ADD CONSTRAINT "FK_157b3e9bebea37fbbea236fdf47" FOREIGN KEY ("sku_id") REFERENCES "sku"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "stock_movement" ADD CONSTRAINT "FK_fd8462e83292cd230ed2183cbb8" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "stock_movement" ADD CONSTRAINT "FK_343e4a507552176e82ed4162d9e" FOREIGN KEY ("sku_id") REFERENCES "sku"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // Hand-written: what TypeORM does not diff.
    // Search by name and pinyin is "contains" of terms as short as one character: the grams' GIN index serves it.
    await queryRunner.query(`CREATE INDEX product_search_grams_gin ON "product" USING gin ("search_grams")`);
    await queryRunner.query(`CREATE UNIQUE INDEX category_sibling_name_unique ON "category" ("parent_id", "name") NULLS NOT DISTINCT`);
    await queryRunner.query(`INSERT INTO "catalog_settings" (id) VALUES (1)`);
    await queryRunner.query(`CREATE TRIGGER stock_movement_append_only BEFORE UPDATE OR DELETE ON "stock_movement" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER stock_movement_no_truncate BEFORE TRUNCATE ON "stock_movement" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER stock_movement_no_truncate ON "stock_movement"`);
    await queryRunner.query(`DROP TRIGGER stock_movement_append_only ON "stock_movement"`);
    await queryRunner.query(`DROP INDEX category_sibling_name_unique`);
    await queryRunner.query(`DROP INDEX product_search_grams_gin`);
    await queryRunner.query(`ALTER TABLE "stock_movement" DROP CONSTRAINT "FK_343e4a507552176e82ed4162d9e"`);
    await queryRunner.query(`ALTER TABLE "stock_movement" DROP CONSTRAINT "FK_fd8462e83292cd230ed2183cbb8"`);
    await queryRunner.query(`ALTER TABLE "stock" DROP CONSTRAINT "FK_157b3e9bebea37fbbea236fdf47"`);
    await queryRunner.query(`ALTER TABLE "stock" DROP CONSTRAINT "FK_92a566e6562dea3a82bdd4d21cb"`);
    await queryRunner.query(`ALTER TABLE "sku_store_price" DROP CONSTRAINT "FK_f1978d85ce60e181dc61c4ccbf6"`);
    await queryRunner.query(`ALTER TABLE "sku_store_price" DROP CONSTRAINT "FK_83cfd9513044612488b741b86f7"`);
    await queryRunner.query(`ALTER TABLE "sku" DROP CONSTRAINT "FK_4cf2c705528af77558dd98227df"`);
    await queryRunner.query(`ALTER TABLE "product" DROP CONSTRAINT "FK_0dce9bc93c2d2c399982d04bef1"`);
    await queryRunner.query(`ALTER TABLE "category" DROP CONSTRAINT "FK_1117b4fcb3cd4abb4383e1c2743"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_720817853ca441dedd3ded0371"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_57e3c0235e15de8cb20779f00d"`);
    await queryRunner.query(`DROP TABLE "stock_movement"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_157b3e9bebea37fbbea236fdf4"`);
    await queryRunner.query(`DROP TABLE "stock"`);
    await queryRunner.query(`DROP TABLE "catalog_settings"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f1978d85ce60e181dc61c4ccbf"`);
    await queryRunner.query(`DROP TABLE "sku_store_price"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b5eee6c02c1e7656e60752ccd5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0c3b6227313ef824222160d2a7"`);
    await queryRunner.query(`DROP INDEX "public"."sku_active_barcode_unique"`);
    await queryRunner.query(`DROP TABLE "sku"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0dce9bc93c2d2c399982d04bef"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c58a0ebb26c5b916ea7704a22f"`);
    await queryRunner.query(`DROP INDEX "public"."product_code_unique"`);
    await queryRunner.query(`DROP TABLE "product"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_372d879aeb38cfbb0fe03704f3"`);
    await queryRunner.query(`DROP TABLE "category"`);
  }
}
