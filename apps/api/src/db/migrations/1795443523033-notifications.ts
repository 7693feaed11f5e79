import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1795443523033 implements MigrationInterface {
  name = 'Notifications1795443523033';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "notification_message" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event" text NOT NULL, "kind" text NOT NULL, "member_id" uuid, "staff_id" uuid, "store_id" uuid, "dedupe_key" text NOT NULL, "data" jsonb NOT NULL DEFAULT '{}', "status" text NOT NULL DEFAULT 'pending', "channel" text, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "lease_until" TIMESTAMP WITH TIME ZONE, "lease_token" uuid, "inflight_channel" text, "inflight_since" TIMESTAMP WITH TIME ZONE, "consent_template_id" text, "provider" text, "provider_message_id" text, "provider_response" jsonb, "content" jsonb, "last_error" text, "skip_reason" text, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "notification_message_inflight_check" CHECK (inflight_channel IS NULL OR inflight_channel IN ('wechat', 'sms', 'email')), CONSTRAINT "notification_message_channel_check" CHECK (channel IS NULL OR channel IN ('wechat', 'sms', 'email')), CONSTRAINT "notification_message_recipient_check" CHECK ((member_id IS NOT NULL) <> (staff_id IS NOT NULL)), CONSTRAINT "notification_message_status_check" CHECK (status IN ('pending', 'sending', 'sent', 'skipped', 'failed', 'cancelled')), CONSTRAINT "PK_bcacc62c929cc4881ec971b6791" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_998f4f343862abf5867470f1fb" ON "notification_message" ("created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_4e8743bcf70bb51938577f951d" ON "notification_message" ("store_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_bee08ff7dd1430efdeb0a8a34e" ON "notification_message" ("member_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "notification_message_leased" ON "notification_message" ("lease_until") WHERE status = 'sending'`);
    await queryRunner.query(`CREATE INDEX "notification_message_due" ON "notification_message" ("next_attempt_at") WHERE status = 'pending'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "notification_message_dedupe_key_unique" ON "notification_message" ("dedupe_key") `);
    await queryRunner.query(`CREATE TABLE "notification_attempt" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "message_id" uuid NOT NULL, "channel" text NOT NULL, "provider" text, "outcome" text NOT NULL, "provider_message_id" text, "response" jsonb, "detail" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "notification_attempt_outcome_check" CHECK (outcome IN ('sent', 'recovered', 'skipped', 'rejected', 'retry', 'failed', 'in_doubt')), CONSTRAINT "PK_f77a48c4e0332fdb9a5e6c7473d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_7efd464b19bc09fa97afb3a0dd" ON "notification_attempt" ("message_id", "id") `);
    await queryRunner.query(`CREATE TABLE "notification_template" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event" text NOT NULL, "channel" text NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "external_id" text, "page" text, "fields" jsonb NOT NULL DEFAULT '[]', "subject" text, "body" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "notification_template_channel_check" CHECK (channel IN ('wechat', 'sms', 'email')), CONSTRAINT "PK_d2a6ef77141a01b8ac31f514cfc" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "notification_template_event_channel_unique" ON "notification_template" ("event", "channel") `);
    await queryRunner.query(`CREATE TABLE "notification_settings" ("id" smallint NOT NULL DEFAULT '1', "channel_order" text array NOT NULL DEFAULT '{wechat,sms,email}', "birthday_benefit" text NOT NULL DEFAULT 'none', "birthday_points" integer NOT NULL DEFAULT '0', "birthday_coupon_template_id" uuid, "membership_expiry_days" integer NOT NULL DEFAULT '7', "points_expiry_days" integer NOT NULL DEFAULT '30', "coupon_expiry_days" integer NOT NULL DEFAULT '3', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "notification_settings_birthday_points_check" CHECK (birthday_points BETWEEN 0 AND 1000000), CONSTRAINT "notification_settings_days_check" CHECK (membership_expiry_days BETWEEN 0 AND 365 AND points_expiry_days BETWEEN 0 AND 365 AND coupon_expiry_days BETWEEN 0 AND 365), CONSTRAINT "notification_settings_birthday_benefit_check" CHECK (birthday_benefit IN ('none', 'points', 'coupon')), CONSTRAINT "notification_settings_single_row" CHECK (id = 1), CONSTRAINT "PK_d131abd7996c475ef768d4559ba" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "notification_opt_out" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "channel" text NOT NULL, "kind" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "notification_opt_out_kind_check" CHECK (kind IN ('balance', 'points', 'birthday', 'expiry', 'booking', 'all')), CONSTRAINT "notification_opt_out_channel_check" CHECK (channel IN ('wechat', 'sms', 'email', 'all')), CONSTRAINT "PK_f194736e815ae842d3f729680bf" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_a52db74ee0fd92f7a44269376b" ON "notification_opt_out" ("member_id") `);
    await queryRunner.query(`CREATE TABLE "notification_address" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "channel" text NOT NULL, "address" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "notification_address_channel_check" CHECK (channel IN ('wechat', 'email')), CONSTRAINT "PK_15b1bb2ac8527e96bb1dd68663c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_b2d3086d78aadf348e799945f5" ON "notification_address" ("member_id", "channel") `);
    await queryRunner.query(`CREATE TABLE "wechat_subscription" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "template_id" text NOT NULL, "remaining" integer NOT NULL DEFAULT '0', "accepted_total" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "wechat_subscription_remaining_check" CHECK (remaining >= 0), CONSTRAINT "PK_3fa7058d84eb2d1ecc8a8c3300f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_f044266c78e3e467eed4b23acf" ON "wechat_subscription" ("member_id", "template_id") `);
    await queryRunner.query(`CREATE TABLE "birthday_greeting" ("member_id" uuid NOT NULL, "year" integer NOT NULL, "benefit" text NOT NULL, "points" integer NOT NULL DEFAULT '0', "coupon_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "birthday_greeting_benefit_check" CHECK (benefit IN ('none', 'points', 'coupon')), CONSTRAINT "PK_054d91f8fa2feebe7c10a8c8ae5" PRIMARY KEY ("member_id", "year"))`);
    await queryRunner.query(`ALTER TABLE "notification_message" ADD CONSTRAINT "FK_d6d33f8bb13e4cd1c36a10d78a9" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "notification_message" ADD CONSTRAINT "FK_3185ed8fb947625d1f5b318efc0" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "notification_message" ADD CONSTRAINT "FK_65cdc97272971e96efe8f2a8e85" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "notification_attempt" ADD CONSTRAINT "FK_7b9c609d9054c5895e27d845e28" FOREIGN KEY ("message_id") REFERENCES "notification_message"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "notification_opt_out" ADD CONSTRAINT "FK_a52db74ee0fd92f7a44269376b8" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "notification_address" ADD CONSTRAINT "FK_9c832611aa7bc84a8bc79e7736c" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "wechat_subscription" ADD CONSTRAINT "FK_4f7eb7c6170f28b1ed9ecfb2893" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    // Hand-added: the delivery history is append-only, like the ledgers; the settings row exists from the start.
    await queryRunner.query(`CREATE TRIGGER notification_attempt_append_only BEFORE UPDATE OR DELETE ON "notification_attempt" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER notification_attempt_no_truncate BEFORE TRUNCATE ON "notification_attempt" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`INSERT INTO "notification_settings" ("id") VALUES (1)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER notification_attempt_no_truncate ON "notification_attempt"`);
    await queryRunner.query(`DROP TRIGGER notification_attempt_append_only ON "notification_attempt"`);
    await queryRunner.query(`ALTER TABLE "wechat_subscription" DROP CONSTRAINT "FK_4f7eb7c6170f28b1ed9ecfb2893"`);
    await queryRunner.query(`ALTER TABLE "notification_address" DROP CONSTRAINT "FK_9c832611aa7bc84a8bc79e7736c"`);
    await queryRunner.query(`ALTER TABLE "notification_opt_out" DROP CONSTRAINT "FK_a52db74ee0fd92f7a44269376b8"`);
    await queryRunner.query(`ALTER TABLE "notification_attempt" DROP CONSTRAINT "FK_7b9c609d9054c5895e27d845e28"`);
    await queryRunner.query(`ALTER TABLE "notification_message" DROP CONSTRAINT "FK_65cdc97272971e96efe8f2a8e85"`);
    await queryRunner.query(`ALTER TABLE "notification_message" DROP CONSTRAINT "FK_3185ed8fb947625d1f5b318efc0"`);
    await queryRunner.query(`ALTER TABLE "notification_message" DROP CONSTRAINT "FK_d6d33f8bb13e4cd1c36a10d78a9"`);
    await queryRunner.query(`DROP TABLE "birthday_greeting"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f044266c78e3e467eed4b23acf"`);
    await queryRunner.query(`DROP TABLE "wechat_subscription"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b2d3086d78aadf348e799945f5"`);
    await queryRunner.query(`DROP TABLE "notification_address"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a52db74ee0fd92f7a44269376b"`);
    await queryRunner.query(`DROP TABLE "notification_opt_out"`);
    await queryRunner.query(`DROP TABLE "notification_settings"`);
    await queryRunner.query(`DROP INDEX "public"."notification_template_event_channel_unique"`);
    await queryRunner.query(`DROP TABLE "notification_template"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7efd464b19bc09fa97afb3a0dd"`);
    await queryRunner.query(`DROP TABLE "notification_attempt"`);
    await queryRunner.query(`DROP INDEX "public"."notification_message_dedupe_key_unique"`);
    await queryRunner.query(`DROP INDEX "public"."notification_message_due"`);
    await queryRunner.query(`DROP INDEX "public"."notification_message_leased"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bee08ff7dd1430efdeb0a8a34e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4e8743bcf70bb51938577f951d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_998f4f343862abf5867470f1fb"`);
    await queryRunner.query(`DROP TABLE "notification_message"`);
  }
}
