import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Cards1795434383070 implements MigrationInterface {
  name = 'Cards1795434383070';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "card" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "card_no" text NOT NULL, "member_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'active', "issued_store_id" uuid NOT NULL, "issued_by_staff_id" uuid, "replaces_card_id" uuid, "lost_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "card_status_check" CHECK (status IN ('active', 'lost', 'replaced', 'returned')), CONSTRAINT "PK_9451069b6f1199730791a7f4ae4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_2fe79a200095f1201f34958670" ON "card" ("member_id", "created_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "card_no_unique" ON "card" ("card_no") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "card_member_in_use_unique" ON "card" ("member_id") WHERE status IN ('active', 'lost')`);
    await queryRunner.query(`CREATE TABLE "card_event" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "card_id" uuid NOT NULL, "member_id" uuid NOT NULL, "kind" text NOT NULL, "store_id" uuid, "staff_id" uuid, "related_card_id" uuid, "fee_fen" bigint NOT NULL DEFAULT '0', "fee_method" text, "reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "card_event_fee_non_negative" CHECK (fee_fen >= 0), CONSTRAINT "card_event_kind_check" CHECK (kind IN ('issued', 'lost', 'unfrozen', 'replaced', 'returned')), CONSTRAINT "PK_6244b2455c848629a9d058a5d8e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_9cb26176893b171ec6c7ea3f9c" ON "card_event" ("store_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_f623cf717d7d91e4704ce9a460" ON "card_event" ("card_id", "id") `);
    await queryRunner.query(`CREATE TABLE "card_return" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "card_id" uuid NOT NULL, "member_id" uuid NOT NULL, "store_id" uuid NOT NULL, "staff_id" uuid, "reason" text NOT NULL, "principal_fen" bigint NOT NULL, "fee_bps" integer NOT NULL, "fee_fen" bigint NOT NULL, "refund_fen" bigint NOT NULL, "bonus_forfeited_fen" bigint NOT NULL, "refund_method" text NOT NULL DEFAULT 'cash', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_f81e4a278dc35fc724609b6b367" UNIQUE ("card_id"), CONSTRAINT "card_return_fee_bps_range" CHECK (fee_bps BETWEEN 0 AND 10000), CONSTRAINT "card_return_amounts" CHECK (principal_fen >= 0 AND fee_fen >= 0 AND refund_fen >= 0 AND bonus_forfeited_fen >= 0 AND fee_fen + refund_fen = principal_fen), CONSTRAINT "PK_7adbb531de0b84f4c66463043dd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_a1cc66992eaa011ffee20937b4" ON "card_return" ("member_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_7a64a99acb930ae341361ecfc6" ON "card_return" ("store_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "card_settings" ("id" integer NOT NULL DEFAULT '1', "return_fee_bps" integer NOT NULL DEFAULT '0', "return_forfeits_bonus" boolean NOT NULL DEFAULT true, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "card_settings_fee_bps_range" CHECK (return_fee_bps BETWEEN 0 AND 10000), CONSTRAINT "card_settings_single_row" CHECK (id = 1), CONSTRAINT "PK_95aacef5d1224b30efa3d4e0058" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "member_code_key" ("member_id" uuid NOT NULL, "code_index" bigint NOT NULL, "uses" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_6838345ad9ac6da4012580686c9" UNIQUE ("code_index"), CONSTRAINT "PK_b0e52617336866be5796ac80f13" PRIMARY KEY ("member_id"))`);
    await queryRunner.query(`CREATE TABLE "member_code_use" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "member_id" uuid NOT NULL, "code" text NOT NULL, "window" bigint NOT NULL, "uses" bigint NOT NULL, "store_id" uuid NOT NULL, "staff_id" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a00d3f0e16161b116cebcd2db7d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "member_code_use_once" ON "member_code_use" ("member_id", "window", "uses") `);
    await queryRunner.query(`CREATE TABLE "member_pay_password_guard" ("member_id" uuid NOT NULL, "failures" integer NOT NULL, "window_started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "locked_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e8ee677c74bbaf7a1045299ed5b" PRIMARY KEY ("member_id"))`);
    await queryRunner.query(`ALTER TABLE "card" ADD CONSTRAINT "FK_7aa48e3182f530f73e9b8ad87af" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "card" ADD CONSTRAINT "FK_999c7c97431b35ed29a9ecaaa84" FOREIGN KEY ("issued_store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "card" ADD CONSTRAINT "FK_2afebdf9b86e0797a357140ba5a" FOREIGN KEY ("issued_by_staff_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "card" ADD CONSTRAINT "FK_865746b2c28135dd6ea279783db" FOREIGN KEY ("replaces_card_id") REFERENCES "card"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "card_event" ADD CONSTRAINT "FK_2376cf21fe50094c63ac9309d80" FOREIGN KEY ("card_id") REFERENCES "card"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "card_event" ADD CONSTRAINT "FK_ace94381d72dbd462d14949f3a5" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "card_return" ADD CONSTRAINT "FK_f81e4a278dc35fc724609b6b367" FOREIGN KEY ("card_id") REFERENCES "card"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "card_return" ADD CONSTRAINT "FK_b70b29c95a9a03b3679521b9f08" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "member_code_use" ADD CONSTRAINT "FK_07694e78ce42b023aa4c85447b0" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "member_code_use" ADD CONSTRAINT "FK_0891d93c506ceae13ea60f80f1d" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // Hand-written: system card numbers, the 8-digit member code index, append-only history, the settings row.
    await queryRunner.query(`CREATE SEQUENCE card_no_seq START 1`);
    await queryRunner.query(`CREATE SEQUENCE member_code_index_seq START 1 MAXVALUE 99999999 NO CYCLE`);
    await queryRunner.query(`CREATE TRIGGER card_event_append_only BEFORE UPDATE OR DELETE ON "card_event" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER card_event_no_truncate BEFORE TRUNCATE ON "card_event" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER card_return_append_only BEFORE UPDATE OR DELETE ON "card_return" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER card_return_no_truncate BEFORE TRUNCATE ON "card_return" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`INSERT INTO card_settings (id) VALUES (1) ON CONFLICT (id) DO NOTHING`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SEQUENCE member_code_index_seq`);
    await queryRunner.query(`DROP SEQUENCE card_no_seq`);
    await queryRunner.query(`ALTER TABLE "member_code_use" DROP CONSTRAINT "FK_0891d93c506ceae13ea60f80f1d"`);
    await queryRunner.query(`ALTER TABLE "member_code_use" DROP CONSTRAINT "FK_07694e78ce42b023aa4c85447b0"`);
    await queryRunner.query(`ALTER TABLE "card_return" DROP CONSTRAINT "FK_b70b29c95a9a03b3679521b9f08"`);
    await queryRunner.query(`ALTER TABLE "card_return" DROP CONSTRAINT "FK_f81e4a278dc35fc724609b6b367"`);
    await queryRunner.query(`ALTER TABLE "card_event" DROP CONSTRAINT "FK_ace94381d72dbd462d14949f3a5"`);
    await queryRunner.query(`ALTER TABLE "card_event" DROP CONSTRAINT "FK_2376cf21fe50094c63ac9309d80"`);
    await queryRunner.query(`ALTER TABLE "card" DROP CONSTRAINT "FK_865746b2c28135dd6ea279783db"`);
    await queryRunner.query(`ALTER TABLE "card" DROP CONSTRAINT "FK_2afebdf9b86e0797a357140ba5a"`);
    await queryRunner.query(`ALTER TABLE "card" DROP CONSTRAINT "FK_999c7c97431b35ed29a9ecaaa84"`);
    await queryRunner.query(`ALTER TABLE "card" DROP CONSTRAINT "FK_7aa48e3182f530f73e9b8ad87af"`);
    await queryRunner.query(`DROP TABLE "member_pay_password_guard"`);
    await queryRunner.query(`DROP INDEX "public"."member_code_use_once"`);
    await queryRunner.query(`DROP TABLE "member_code_use"`);
    await queryRunner.query(`DROP TABLE "member_code_key"`);
    await queryRunner.query(`DROP TABLE "card_settings"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7a64a99acb930ae341361ecfc6"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a1cc66992eaa011ffee20937b4"`);
    await queryRunner.query(`DROP TABLE "card_return"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f623cf717d7d91e4704ce9a460"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9cb26176893b171ec6c7ea3f9c"`);
    await queryRunner.query(`DROP TABLE "card_event"`);
    await queryRunner.query(`DROP INDEX "public"."card_member_in_use_unique"`);
    await queryRunner.query(`DROP INDEX "public"."card_no_unique"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2fe79a200095f1201f34958670"`);
    await queryRunner.query(`DROP TABLE "card"`);
  }
}
