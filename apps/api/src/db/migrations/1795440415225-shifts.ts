import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Shifts1795440415225 implements MigrationInterface {
  name = 'Shifts1795440415225';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "shift" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "store_id" uuid NOT NULL, "staff_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'open', "float_fen" bigint NOT NULL, "business_day" date NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "open_note" text, "closed_at" TIMESTAMP WITH TIME ZONE, "closed_by_staff_id" uuid, "counted_cash_fen" bigint, "expected_cash_fen" bigint, "difference_fen" bigint, "close_note" text, CONSTRAINT "shift_close_shape_check" CHECK ((status = 'open' AND closed_at IS NULL AND counted_cash_fen IS NULL AND expected_cash_fen IS NULL AND difference_fen IS NULL)
   OR (status = 'closed' AND closed_at IS NOT NULL AND counted_cash_fen >= 0 AND expected_cash_fen IS NOT NULL AND difference_fen = counted_cash_fen - expected_cash_fen)), CONSTRAINT "shift_float_check" CHECK (float_fen >= 0), CONSTRAINT "shift_status_check" CHECK (status IN ('open', 'closed')), CONSTRAINT "PK_53071a6485a1e9dc75ec3db54b9" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_a51858f6af48ec04071a569f23" ON "shift" ("staff_id", "opened_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_035ac8aa9afc621a547634a622" ON "shift" ("store_id", "business_day") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "shift_one_open_per_staff_store" ON "shift" ("staff_id", "store_id") WHERE status = 'open'`);
    await queryRunner.query(`CREATE TABLE "shift_cash_movement" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "shift_id" uuid NOT NULL, "store_id" uuid NOT NULL, "kind" text NOT NULL, "amount_fen" bigint NOT NULL, "reason" text NOT NULL, "staff_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "shift_cash_movement_amount_check" CHECK (amount_fen > 0), CONSTRAINT "shift_cash_movement_kind_check" CHECK (kind IN ('cash_in', 'cash_out')), CONSTRAINT "PK_72cd360558545a7830d531935a0" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_88a1267eb8e09dd2fe958d8545" ON "shift_cash_movement" ("shift_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "shift_taking" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "shift_id" uuid NOT NULL, "store_id" uuid NOT NULL, "method" text NOT NULL, "amount_fen" bigint NOT NULL, "ref_type" text NOT NULL, "ref_id" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "shift_taking_amount_check" CHECK (amount_fen <> 0), CONSTRAINT "shift_taking_method_check" CHECK (method IN ('cash', 'bank_card', 'wechat', 'stored_value', 'points', 'coupon', 'count_card')), CONSTRAINT "PK_d41caef906bf001cd00211ae7df" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_e65126a8c0ff138414b430d7ef" ON "shift_taking" ("ref_type", "ref_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_fab05873a7104cdf0b2e6bb16f" ON "shift_taking" ("shift_id", "method") `);
    await queryRunner.query(`ALTER TABLE "shift" ADD CONSTRAINT "FK_955e13d973225f94c543283e998" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "shift" ADD CONSTRAINT "FK_d030acf2e7099f931d515237ecb" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "shift" ADD CONSTRAINT "FK_4114a7c874f91c1eb1e7e4a94a9" FOREIGN KEY ("closed_by_staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "shift_cash_movement" ADD CONSTRAINT "FK_0b6bab521bd3ebd167eb67fc1f3" FOREIGN KEY ("shift_id") REFERENCES "shift"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "shift_cash_movement" ADD CONSTRAINT "FK_a10c9acec0de27375e6fe95a385" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "shift_taking" ADD CONSTRAINT "FK_c88ddd087412d7c2c1d209f749b" FOREIGN KEY ("shift_id") REFERENCES "shift"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // Hand-written: takings and cash movements are append-only and only join an open shift; a
    // closed shift is read-only and no shift is ever deleted (the service's locks decide races,
    // these triggers are the last line of defence).
    for (const t of ['shift_taking', 'shift_cash_movement']) {
      await queryRunner.query(`CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON "${t}" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
      await queryRunner.query(`CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON "${t}" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    }
    await queryRunner.query(`CREATE FUNCTION shift_row_open() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM shift WHERE id = NEW.shift_id AND status = 'open') THEN
          RAISE EXCEPTION '% needs an open shift (%)', TG_TABLE_NAME, NEW.shift_id USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER shift_taking_open_shift BEFORE INSERT ON "shift_taking" FOR EACH ROW EXECUTE FUNCTION shift_row_open()`);
    await queryRunner.query(`CREATE TRIGGER shift_cash_movement_open_shift BEFORE INSERT ON "shift_cash_movement" FOR EACH ROW EXECUTE FUNCTION shift_row_open()`);
    await queryRunner.query(`CREATE FUNCTION shift_closed_read_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'shifts are never deleted' USING ERRCODE = 'P0001'; END IF;
        IF OLD.status = 'closed' THEN RAISE EXCEPTION 'shift % is closed and read-only', OLD.id USING ERRCODE = 'P0001'; END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER shift_closed_read_only BEFORE UPDATE OR DELETE ON "shift" FOR EACH ROW EXECUTE FUNCTION shift_closed_read_only()`);
    await queryRunner.query(`CREATE TRIGGER shift_no_truncate BEFORE TRUNCATE ON "shift" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER shift_no_truncate ON "shift"`);
    await queryRunner.query(`DROP TRIGGER shift_closed_read_only ON "shift"`);
    await queryRunner.query(`DROP FUNCTION shift_closed_read_only()`);
    await queryRunner.query(`DROP TRIGGER shift_cash_movement_open_shift ON "shift_cash_movement"`);
    await queryRunner.query(`DROP TRIGGER shift_taking_open_shift ON "shift_taking"`);
    await queryRunner.query(`DROP FUNCTION shift_row_open()`);
    for (const t of ['shift_taking', 'shift_cash_movement']) {
      await queryRunner.query(`DROP TRIGGER ${t}_no_truncate ON "${t}"`);
      await queryRunner.query(`DROP TRIGGER ${t}_append_only ON "${t}"`);
    }
    await queryRunner.query(`ALTER TABLE "shift_taking" DROP CONSTRAINT "FK_c88ddd087412d7c2c1d209f749b"`);
    await queryRunner.query(`ALTER TABLE "shift_cash_movement" DROP CONSTRAINT "FK_a10c9acec0de27375e6fe95a385"`);
    await queryRunner.query(`ALTER TABLE "shift_cash_movement" DROP CONSTRAINT "FK_0b6bab521bd3ebd167eb67fc1f3"`);
    await queryRunner.query(`ALTER TABLE "shift" DROP CONSTRAINT "FK_4114a7c874f91c1eb1e7e4a94a9"`);
    await queryRunner.query(`ALTER TABLE "shift" DROP CONSTRAINT "FK_d030acf2e7099f931d515237ecb"`);
    await queryRunner.query(`ALTER TABLE "shift" DROP CONSTRAINT "FK_955e13d973225f94c543283e998"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fab05873a7104cdf0b2e6bb16f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e65126a8c0ff138414b430d7ef"`);
    await queryRunner.query(`DROP TABLE "shift_taking"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_88a1267eb8e09dd2fe958d8545"`);
    await queryRunner.query(`DROP TABLE "shift_cash_movement"`);
    await queryRunner.query(`DROP INDEX "public"."shift_one_open_per_staff_store"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_035ac8aa9afc621a547634a622"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a51858f6af48ec04071a569f23"`);
    await queryRunner.query(`DROP TABLE "shift"`);
  }
}
