import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Tiers1795434058092 implements MigrationInterface {
  name = 'Tiers1795434058092';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "tier" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "name_en" text NOT NULL DEFAULT '', "level" integer NOT NULL, "discount_bps" integer NOT NULL DEFAULT '10000', "points_multiplier_bps" integer NOT NULL DEFAULT '10000', "benefits" text array NOT NULL DEFAULT '{}', "is_initial" boolean NOT NULL DEFAULT false, "upgrade_metric" text, "upgrade_threshold" bigint, "window_days" integer NOT NULL DEFAULT '0', "downgrade_enabled" boolean NOT NULL DEFAULT false, "price_fen" bigint NOT NULL DEFAULT '0', "validity_days" integer, "archived_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "tier_price_check" CHECK (price_fen >= 0 AND (price_fen = 0) = (validity_days IS NULL)), CONSTRAINT "tier_rule_check" CHECK ((upgrade_metric IS NULL) = (upgrade_threshold IS NULL)), CONSTRAINT "tier_points_multiplier_bps_check" CHECK (points_multiplier_bps BETWEEN 0 AND 100000), CONSTRAINT "tier_discount_bps_check" CHECK (discount_bps BETWEEN 0 AND 10000), CONSTRAINT "PK_14d67ceef0dbea040e39e97e7f6" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "tier_initial_unique" ON "tier" ("is_initial") WHERE is_initial AND archived_at IS NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "tier_level_active_unique" ON "tier" ("level") WHERE archived_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "member_tier_change" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "member_id" uuid NOT NULL, "from_tier_id" uuid, "to_tier_id" uuid NOT NULL, "source" text NOT NULL, "reason" text NOT NULL, "staff_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "member_tier_change_source_check" CHECK (source IN ('auto', 'manual', 'purchase', 'expiry', 'downgrade')), CONSTRAINT "PK_e6d3f2c3192712dc182643035d1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_adf87375dc6a7968be13963495" ON "member_tier_change" ("member_id", "id") `);
    await queryRunner.query(`CREATE TABLE "member_paid_tier" ("member_id" uuid NOT NULL, "tier_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_c62a8bdb6c64ee4780a7037c1cd" PRIMARY KEY ("member_id"))`);
    await queryRunner.query(`CREATE TABLE "tier_purchase" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "tier_id" uuid NOT NULL, "store_id" uuid NOT NULL, "price_fen" bigint NOT NULL, "payment_method" text NOT NULL, "principal_fen" bigint NOT NULL DEFAULT '0', "bonus_fen" bigint NOT NULL DEFAULT '0', "validity_days" integer NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "staff_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "tier_purchase_amounts_check" CHECK (price_fen > 0 AND principal_fen >= 0 AND bonus_fen >= 0 AND principal_fen + bonus_fen IN (0, price_fen)), CONSTRAINT "tier_purchase_payment_method_check" CHECK (payment_method IN ('cash', 'bank_card', 'wallet')), CONSTRAINT "PK_ecf62f0367076dc5d6c83c48096" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_a1e2fe490a686723e3a8cdf93f" ON "tier_purchase" ("store_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_6839721e9f7b8b384ca4701745" ON "tier_purchase" ("member_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "member_spend_fact" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "member_id" uuid NOT NULL, "amount_fen" bigint NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "ref_type" text NOT NULL, "ref_id" text NOT NULL, CONSTRAINT "member_spend_fact_amount_check" CHECK (amount_fen <> 0), CONSTRAINT "PK_e31a311968b47799738c7dd32c6" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_61a31135f8631eaac580b203d4" ON "member_spend_fact" ("ref_type", "ref_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_fec344274fe30454187d22e4b2" ON "member_spend_fact" ("member_id", "at") `);
    await queryRunner.query(`ALTER TABLE "member_tier_change" ADD CONSTRAINT "FK_cd46ef9f693aa58bf573e7cd32b" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "member_tier_change" ADD CONSTRAINT "FK_0e58a98ea8aabdb3abe224d842d" FOREIGN KEY ("from_tier_id") REFERENCES "tier"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "member_tier_change" ADD CONSTRAINT "FK_86da1015cb969b5894672b083dc" FOREIGN KEY ("to_tier_id") REFERENCES "tier"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "member_tier_change" ADD CONSTRAINT "FK_87a3cf096e57ec0da3ea2538707" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "member_paid_tier" ADD CONSTRAINT "FK_c62a8bdb6c64ee4780a7037c1cd" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "member_paid_tier" ADD CONSTRAINT "FK_198ae9a1941fc58ffddb2cd1b49" FOREIGN KEY ("tier_id") REFERENCES "tier"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "tier_purchase" ADD CONSTRAINT "FK_529c4f66b19b94b68f24f0076db" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "tier_purchase" ADD CONSTRAINT "FK_a59c7d97595aa2ab8e4ed4d3d21" FOREIGN KEY ("tier_id") REFERENCES "tier"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "tier_purchase" ADD CONSTRAINT "FK_869c4003f7ab4787ce362da84ec" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "member_spend_fact" ADD CONSTRAINT "FK_53c8f050e383bbf157177de28d7" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "member" ADD CONSTRAINT "FK_c723d5043385333e84fd7c24fa5" FOREIGN KEY ("tier_id") REFERENCES "tier"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // Hand-added: history, purchases and spend facts are records of what happened, never edited.
    for (const t of ['member_tier_change', 'tier_purchase', 'member_spend_fact']) {
      await queryRunner.query(`CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON "${t}" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
      await queryRunner.query(`CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON "${t}" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const t of ['member_tier_change', 'tier_purchase', 'member_spend_fact']) {
      await queryRunner.query(`DROP TRIGGER ${t}_no_truncate ON "${t}"`);
      await queryRunner.query(`DROP TRIGGER ${t}_append_only ON "${t}"`);
    }
    await queryRunner.query(`ALTER TABLE "member" DROP CONSTRAINT "FK_c723d5043385333e84fd7c24fa5"`);
    await queryRunner.query(`ALTER TABLE "member_spend_fact" DROP CONSTRAINT "FK_53c8f050e383bbf157177de28d7"`);
    await queryRunner.query(`ALTER TABLE "tier_purchase" DROP CONSTRAINT "FK_869c4003f7ab4787ce362da84ec"`);
    await queryRunner.query(`ALTER TABLE "tier_purchase" DROP CONSTRAINT "FK_a59c7d97595aa2ab8e4ed4d3d21"`);
    await queryRunner.query(`ALTER TABLE "tier_purchase" DROP CONSTRAINT "FK_529c4f66b19b94b68f24f0076db"`);
    await queryRunner.query(`ALTER TABLE "member_paid_tier" DROP CONSTRAINT "FK_198ae9a1941fc58ffddb2cd1b49"`);
    await queryRunner.query(`ALTER TABLE "member_paid_tier" DROP CONSTRAINT "FK_c62a8bdb6c64ee4780a7037c1cd"`);
    await queryRunner.query(`ALTER TABLE "member_tier_change" DROP CONSTRAINT "FK_87a3cf096e57ec0da3ea2538707"`);
    await queryRunner.query(`ALTER TABLE "member_tier_change" DROP CONSTRAINT "FK_86da1015cb969b5894672b083dc"`);
    await queryRunner.query(`ALTER TABLE "member_tier_change" DROP CONSTRAINT "FK_0e58a98ea8aabdb3abe224d842d"`);
    await queryRunner.query(`ALTER TABLE "member_tier_change" DROP CONSTRAINT "FK_cd46ef9f693aa58bf573e7cd32b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fec344274fe30454187d22e4b2"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_61a31135f8631eaac580b203d4"`);
    await queryRunner.query(`DROP TABLE "member_spend_fact"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6839721e9f7b8b384ca4701745"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a1e2fe490a686723e3a8cdf93f"`);
    await queryRunner.query(`DROP TABLE "tier_purchase"`);
    await queryRunner.query(`DROP TABLE "member_paid_tier"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_adf87375dc6a7968be13963495"`);
    await queryRunner.query(`DROP TABLE "member_tier_change"`);
    await queryRunner.query(`DROP INDEX "public"."tier_level_active_unique"`);
    await queryRunner.query(`DROP INDEX "public"."tier_initial_unique"`);
    await queryRunner.query(`DROP TABLE "tier"`);
  }
}
