import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Wechat1795443252172 implements MigrationInterface {
  name = 'Wechat1795443252172';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Members signed in through WeChat before binding a phone number are 'pending' (TypeORM does not diff CHECKs).
    await queryRunner.query(`ALTER TABLE "member" DROP CONSTRAINT "member_status_check"`);
    await queryRunner.query(`ALTER TABLE "member" ADD CONSTRAINT "member_status_check" CHECK (status IN ('active', 'pending', 'frozen', 'anonymised', 'merged'))`);
    await queryRunner.query(`CREATE TABLE "wechat_account" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appid" text NOT NULL, "openid" text NOT NULL, "unionid" text, "member_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_login_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b79f54b90c5a59490700156b0cf" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_c610a4abea48be44433222af93" ON "wechat_account" ("member_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "wechat_account_openid_unique" ON "wechat_account" ("appid", "openid") `);
    await queryRunner.query(`CREATE TABLE "wechat_pay_order" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "out_trade_no" text NOT NULL, "purpose" text NOT NULL, "trade_type" text NOT NULL, "status" text NOT NULL DEFAULT 'pending', "member_id" uuid, "store_id" uuid NOT NULL, "amount_fen" bigint NOT NULL, "refunded_fen" bigint NOT NULL DEFAULT '0', "description" text NOT NULL, "appid" text NOT NULL, "mchid" text NOT NULL, "openid" text, "prepay_id" text, "transaction_id" text, "order_payment_id" uuid, "top_up_id" uuid, "staff_id" uuid, "shift_id" uuid, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "paid_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "failure" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_60fd8587e1a27653ead60af4335" UNIQUE ("out_trade_no"), CONSTRAINT "UQ_2d3a8f354c9dac93c114c7a1509" UNIQUE ("transaction_id"), CONSTRAINT "wechat_pay_order_paid_check" CHECK (status <> 'paid' OR (transaction_id IS NOT NULL AND paid_at IS NOT NULL)), CONSTRAINT "wechat_pay_order_refunded_check" CHECK (refunded_fen >= 0 AND refunded_fen <= amount_fen), CONSTRAINT "wechat_pay_order_amount_check" CHECK (amount_fen > 0), CONSTRAINT "wechat_pay_order_status_check" CHECK (status IN ('pending', 'user_paying', 'paid', 'closed', 'failed', 'reversed')), CONSTRAINT "wechat_pay_order_trade_type_check" CHECK (trade_type IN ('JSAPI', 'MICROPAY')), CONSTRAINT "wechat_pay_order_purpose_check" CHECK (purpose IN ('top_up', 'order')), CONSTRAINT "PK_4d16e7d10136a9648d695ecc6e3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "wechat_pay_order_payment_unique" ON "wechat_pay_order" ("order_payment_id") WHERE order_payment_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_d75ec251787b0328dce56fddc1" ON "wechat_pay_order" ("paid_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_0de1424caf0a580a7cc7efc850" ON "wechat_pay_order" ("member_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_978ba9fe5c64752a47a216a83d" ON "wechat_pay_order" ("status", "expires_at") `);
    await queryRunner.query(`CREATE TABLE "wechat_refund" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "out_refund_no" text NOT NULL, "pay_order_id" uuid NOT NULL, "store_id" uuid NOT NULL, "amount_fen" bigint NOT NULL, "reason" text NOT NULL, "status" text NOT NULL DEFAULT 'pending', "refund_id" text, "top_up_id" uuid, "order_refund_ref" text, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "user_received_account" text, "requested_by" uuid, "succeeded_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_a8efa131689ee4b4710424ebcdb" UNIQUE ("out_refund_no"), CONSTRAINT "wechat_refund_amount_check" CHECK (amount_fen > 0), CONSTRAINT "wechat_refund_status_check" CHECK (status IN ('pending', 'processing', 'succeeded', 'abnormal', 'closed')), CONSTRAINT "PK_0d1b7650f0d5b1f7a18f002e318" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_6779630f7b62967ecaef8163d0" ON "wechat_refund" ("pay_order_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_2e19434b505fdc31b3b2eb0b4a" ON "wechat_refund" ("status") `);
    await queryRunner.query(`CREATE TABLE "wechat_notification" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "notification_id" text NOT NULL, "event_type" text NOT NULL, "out_trade_no" text, "out_refund_no" text, "outcome" text NOT NULL, "deliveries" integer NOT NULL DEFAULT '1', "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_3dede944c1f371aa060c1f8283e" UNIQUE ("notification_id"), CONSTRAINT "PK_5aa454d14ac2b1de88d2f404b19" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_9bd8e7950f13d9aa47d74a7d2e" ON "wechat_notification" ("received_at") `);
    await queryRunner.query(`CREATE TABLE "wechat_reconciliation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "bill_date" date NOT NULL, "status" text NOT NULL, "matched" integer NOT NULL DEFAULT '0', "missing_ours" integer NOT NULL DEFAULT '0', "missing_wechat" integer NOT NULL DEFAULT '0', "amount_mismatch" integer NOT NULL DEFAULT '0', "error" text, "run_by" uuid, "run_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_87f10a94050a4b33dd1042a9421" UNIQUE ("bill_date"), CONSTRAINT "wechat_reconciliation_status_check" CHECK (status IN ('done', 'no_bill', 'failed')), CONSTRAINT "PK_b4663dd07342df4a69f8ad248a0" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "wechat_reconciliation_item" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "reconciliation_id" uuid NOT NULL, "kind" text NOT NULL, "key" text NOT NULL, "result" text NOT NULL, "ours_fen" bigint, "wechat_fen" bigint, "transaction_id" text, "store_id" uuid, CONSTRAINT "wechat_reconciliation_item_kind_check" CHECK (kind IN ('payment', 'refund')), CONSTRAINT "wechat_reconciliation_item_result_check" CHECK (result IN ('matched', 'missing_ours', 'missing_wechat', 'amount_mismatch')), CONSTRAINT "PK_611cace504c153dbeb99c023189" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_2d6bd3fcae69df47c65f39d75d" ON "wechat_reconciliation_item" ("reconciliation_id") `);
    await queryRunner.query(`ALTER TABLE "wechat_account" ADD CONSTRAINT "FK_c610a4abea48be44433222af930" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "wechat_pay_order" ADD CONSTRAINT "FK_794da770088796faf6b828c9c85" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "wechat_pay_order" ADD CONSTRAINT "FK_d9d6462122abf4b6406592b4c5e" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "wechat_refund" ADD CONSTRAINT "FK_6779630f7b62967ecaef8163d07" FOREIGN KEY ("pay_order_id") REFERENCES "wechat_pay_order"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "wechat_reconciliation_item" ADD CONSTRAINT "FK_2d6bd3fcae69df47c65f39d75d9" FOREIGN KEY ("reconciliation_id") REFERENCES "wechat_reconciliation"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "wechat_reconciliation_item" DROP CONSTRAINT "FK_2d6bd3fcae69df47c65f39d75d9"`);
    await queryRunner.query(`ALTER TABLE "wechat_refund" DROP CONSTRAINT "FK_6779630f7b62967ecaef8163d07"`);
    await queryRunner.query(`ALTER TABLE "wechat_pay_order" DROP CONSTRAINT "FK_d9d6462122abf4b6406592b4c5e"`);
    await queryRunner.query(`ALTER TABLE "wechat_pay_order" DROP CONSTRAINT "FK_794da770088796faf6b828c9c85"`);
    await queryRunner.query(`ALTER TABLE "wechat_account" DROP CONSTRAINT "FK_c610a4abea48be44433222af930"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2d6bd3fcae69df47c65f39d75d"`);
    await queryRunner.query(`DROP TABLE "wechat_reconciliation_item"`);
    await queryRunner.query(`DROP TABLE "wechat_reconciliation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9bd8e7950f13d9aa47d74a7d2e"`);
    await queryRunner.query(`DROP TABLE "wechat_notification"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2e19434b505fdc31b3b2eb0b4a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6779630f7b62967ecaef8163d0"`);
    await queryRunner.query(`DROP TABLE "wechat_refund"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_978ba9fe5c64752a47a216a83d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0de1424caf0a580a7cc7efc850"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d75ec251787b0328dce56fddc1"`);
    await queryRunner.query(`DROP INDEX "public"."wechat_pay_order_payment_unique"`);
    await queryRunner.query(`DROP TABLE "wechat_pay_order"`);
    await queryRunner.query(`DROP INDEX "public"."wechat_account_openid_unique"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c610a4abea48be44433222af93"`);
    await queryRunner.query(`DROP TABLE "wechat_account"`);
    await queryRunner.query(`ALTER TABLE "member" DROP CONSTRAINT "member_status_check"`);
    await queryRunner.query(`ALTER TABLE "member" ADD CONSTRAINT "member_status_check" CHECK (status IN ('active', 'frozen', 'anonymised', 'merged'))`);
  }
}
