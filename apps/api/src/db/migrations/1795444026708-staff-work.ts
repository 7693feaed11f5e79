import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StaffWork1795444026708 implements MigrationInterface {
  name = 'StaffWork1795444026708';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Hand-written: the exclusion constraints below (no double booking, no overlapping schedules or
    // attendance records) compare uuids with = inside GiST indexes, which needs btree_gist. It is a
    // contrib extension shipped with PostgreSQL (embedded and official images) and trusted since 13,
    // so a database owner may create it.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await queryRunner.query(`CREATE TABLE "work_schedule" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "staff_id" uuid NOT NULL, "store_id" uuid NOT NULL, "weekday" integer NOT NULL, "start_minute" integer NOT NULL, "end_minute" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "work_schedule_minutes_check" CHECK (start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute), CONSTRAINT "work_schedule_weekday_check" CHECK (weekday BETWEEN 1 AND 7), CONSTRAINT "work_schedule_no_overlap" EXCLUDE USING gist ("staff_id" WITH =, "weekday" WITH =, int4range("start_minute", "end_minute") WITH &&), CONSTRAINT "PK_ef53f40c47a666ad8cf8c988003" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_5861e0dd4d6a8c52c3918249d2" ON "work_schedule" ("store_id", "weekday") `);
    await queryRunner.query(`CREATE TABLE "schedule_exception" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "staff_id" uuid NOT NULL, "store_id" uuid NOT NULL, "day" date NOT NULL, "kind" text NOT NULL, "start_minute" integer, "end_minute" integer, "reason" text NOT NULL DEFAULT '', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "schedule_exception_times_check" CHECK ((start_minute IS NULL AND end_minute IS NULL AND kind = 'leave')
   OR (start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute)), CONSTRAINT "schedule_exception_kind_check" CHECK (kind IN ('leave', 'extra')), CONSTRAINT "PK_1f0d20ad447327f9709214086b8" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_4fe9859f402e4c134cfc3d9847" ON "schedule_exception" ("store_id", "day") `);
    await queryRunner.query(`CREATE INDEX "IDX_c422c45045d2f4842131c9b749" ON "schedule_exception" ("staff_id", "day") `);
    await queryRunner.query(`CREATE TABLE "booking_settings" ("id" integer NOT NULL DEFAULT '1', "max_days_ahead" integer NOT NULL DEFAULT '14', "min_lead_minutes" integer NOT NULL DEFAULT '60', "cancel_deadline_minutes" integer NOT NULL DEFAULT '120', "slot_step_minutes" integer NOT NULL DEFAULT '30', "deposit_fen" bigint NOT NULL DEFAULT '0', "auto_confirm" boolean NOT NULL DEFAULT true, "reminder_minutes" integer NOT NULL DEFAULT '120', "max_active_per_member" integer NOT NULL DEFAULT '3', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "booking_settings_ranges" CHECK (max_days_ahead BETWEEN 0 AND 365 AND min_lead_minutes BETWEEN 0 AND 10080 AND cancel_deadline_minutes BETWEEN 0 AND 10080
   AND slot_step_minutes BETWEEN 5 AND 240 AND deposit_fen >= 0 AND reminder_minutes BETWEEN 0 AND 10080 AND max_active_per_member BETWEEN 1 AND 100), CONSTRAINT "booking_settings_single_row" CHECK (id = 1), CONSTRAINT "PK_1bb13e911613647af2a151ab0a0" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "staff_service" ("staff_id" uuid NOT NULL, "product_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_25415e3c9103e05efef468bc1d7" PRIMARY KEY ("staff_id", "product_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_5a308414987fd7fde96fd6fe8b" ON "staff_service" ("product_id") `);
    await queryRunner.query(`CREATE TABLE "booking" ("id" uuid NOT NULL, "store_id" uuid NOT NULL, "member_id" uuid NOT NULL, "staff_id" uuid NOT NULL, "product_id" uuid NOT NULL, "sku_id" uuid NOT NULL, "service_name" text NOT NULL, "duration_minutes" integer NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL, "source" text NOT NULL, "note" text NOT NULL DEFAULT '', "deposit_fen" bigint NOT NULL DEFAULT '0', "deposit_status" text NOT NULL DEFAULT 'none', "deposit_spend_id" uuid, "created_by_staff_id" uuid, "reschedule_count" integer NOT NULL DEFAULT '0', "confirmed_at" TIMESTAMP WITH TIME ZONE, "arrived_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "order_id" uuid, "cancelled_at" TIMESTAMP WITH TIME ZONE, "cancel_reason" text, "cancelled_by" text, "no_show_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "booking_completed_check" CHECK ((status = 'completed') = (completed_at IS NOT NULL)), CONSTRAINT "booking_deposit_check" CHECK ((deposit_fen = 0 AND deposit_status = 'none' AND deposit_spend_id IS NULL)
   OR (deposit_fen > 0 AND deposit_status IN ('held', 'returned', 'forfeited') AND deposit_spend_id IS NOT NULL)), CONSTRAINT "booking_times_check" CHECK (ends_at > starts_at), CONSTRAINT "booking_source_check" CHECK (source IN ('member', 'staff')), CONSTRAINT "booking_status_check" CHECK (status IN ('pending', 'confirmed', 'arrived', 'completed', 'cancelled', 'no_show')), CONSTRAINT "booking_no_double_booking" EXCLUDE USING gist ("staff_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&) WHERE (status IN ('pending', 'confirmed', 'arrived')), CONSTRAINT "PK_49171efc69702ed84c812f33540" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "booking_order_unique" ON "booking" ("order_id") WHERE order_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_fe5fb58f92ba39abd196609732" ON "booking" ("member_id", "starts_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_6337818286f8aa92f9bfdca300" ON "booking" ("staff_id", "starts_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_d725492a36e37bfa606e2a0b68" ON "booking" ("store_id", "starts_at") `);
    await queryRunner.query(`CREATE TABLE "queue_counter" ("store_id" uuid NOT NULL, "business_day" date NOT NULL, "last_number" integer NOT NULL, CONSTRAINT "PK_b85098aaf774ebff4fe7ccf7979" PRIMARY KEY ("store_id", "business_day"))`);
    await queryRunner.query(`CREATE TABLE "queue_ticket" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "store_id" uuid NOT NULL, "business_day" date NOT NULL, "number" integer NOT NULL, "member_id" uuid, "customer_name" text, "party_size" integer NOT NULL DEFAULT '1', "sku_id" uuid, "note" text NOT NULL DEFAULT '', "status" text NOT NULL DEFAULT 'waiting', "call_count" integer NOT NULL DEFAULT '0', "called_at" TIMESTAMP WITH TIME ZONE, "called_by_staff_id" uuid, "staff_id" uuid, "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "queue_ticket_number_unique" UNIQUE ("store_id", "business_day", "number"), CONSTRAINT "queue_ticket_number_check" CHECK (number > 0 AND party_size BETWEEN 1 AND 99), CONSTRAINT "queue_ticket_status_check" CHECK (status IN ('waiting', 'called', 'served', 'skipped', 'cancelled')), CONSTRAINT "PK_840c6cc19430915b9e9315902fa" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_3d89d015483f991214af9aa2a9" ON "queue_ticket" ("member_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_b7ee1c03384dc1c5601e31b1da" ON "queue_ticket" ("store_id", "business_day", "status") `);
    await queryRunner.query(`CREATE TABLE "staff_level" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "rank" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_96aa6178917d0bcbfac537f05a3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "staff_level_name_unique" ON "staff_level" ("name") `);
    await queryRunner.query(`CREATE TABLE "staff_level_assignment" ("staff_id" uuid NOT NULL, "level_id" uuid NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8a8bd045e032af966b0419bfcd0" PRIMARY KEY ("staff_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_265f218742053c7d8f7b9dd2dc" ON "staff_level_assignment" ("level_id") `);
    await queryRunner.query(`CREATE TABLE "commission_rule" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "source" text NOT NULL, "target_id" uuid, "level_id" uuid, "mode" text NOT NULL, "amount_fen" bigint, "rate_bps" integer, "min_base_fen" bigint NOT NULL DEFAULT '0', "split" text NOT NULL DEFAULT 'share', "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "commission_rule_min_base_check" CHECK (min_base_fen >= 0), CONSTRAINT "commission_rule_target_check" CHECK (target_id IS NULL OR source IN ('service', 'product', 'count_card')), CONSTRAINT "commission_rule_mode_check" CHECK ((mode = 'fixed' AND amount_fen >= 0 AND rate_bps IS NULL) OR (mode = 'percent' AND rate_bps BETWEEN 0 AND 10000 AND amount_fen IS NULL)), CONSTRAINT "commission_rule_split_check" CHECK (split IN ('share', 'each')), CONSTRAINT "commission_rule_source_check" CHECK (source IN ('service', 'product', 'count_card', 'top_up', 'card_issue')), CONSTRAINT "PK_a796c9e56589f8140550cbfcb14" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "commission_entry" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "staff_id" uuid NOT NULL, "store_id" uuid NOT NULL, "source" text NOT NULL, "kind" text NOT NULL, "ref_type" text NOT NULL, "ref_id" text NOT NULL, "item_ref" text NOT NULL, "target_id" uuid, "accrual_id" uuid, "reversal_ref" text, "rule_id" uuid, "level_id" uuid, "quantity" integer NOT NULL, "base_fen" bigint NOT NULL, "line_fen" bigint NOT NULL, "amount_fen" bigint NOT NULL, "period" text NOT NULL, "business_day" date NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "commission_entry_kind_check" CHECK ((kind = 'accrual' AND accrual_id IS NULL AND reversal_ref IS NULL AND amount_fen >= 0 AND base_fen >= 0 AND quantity >= 0 AND line_fen >= 0)
   OR (kind = 'reversal' AND accrual_id IS NOT NULL AND reversal_ref IS NOT NULL AND amount_fen <= 0 AND base_fen <= 0 AND quantity <= 0 AND line_fen >= 0)), CONSTRAINT "commission_entry_source_check" CHECK (source IN ('service', 'product', 'count_card', 'top_up', 'card_issue')), CONSTRAINT "PK_751d30b4bba04cd95e629ddf79d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "commission_entry_reversal_unique" ON "commission_entry" ("accrual_id", "reversal_ref") WHERE kind = 'reversal'`);
    await queryRunner.query(`CREATE UNIQUE INDEX "commission_entry_accrual_unique" ON "commission_entry" ("ref_type", "item_ref", "staff_id") WHERE kind = 'accrual'`);
    await queryRunner.query(`CREATE INDEX "IDX_90932f42a52e62412838817702" ON "commission_entry" ("ref_type", "ref_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_228033485eae214d777e662e42" ON "commission_entry" ("store_id", "business_day") `);
    await queryRunner.query(`CREATE INDEX "IDX_4f33107b0318e13af1cfa39bf3" ON "commission_entry" ("staff_id", "period") `);
    await queryRunner.query(`CREATE TABLE "payroll_month" ("month" text NOT NULL, "status" text NOT NULL DEFAULT 'open', "closed_at" TIMESTAMP WITH TIME ZONE, "closed_by_staff_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "payroll_month_close_shape_check" CHECK ((status = 'open') = (closed_at IS NULL)), CONSTRAINT "payroll_month_status_check" CHECK (status IN ('open', 'closed')), CONSTRAINT "payroll_month_format_check" CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'), CONSTRAINT "PK_9fb1390af1d4f14d8acc0490875" PRIMARY KEY ("month"))`);
    await queryRunner.query(`CREATE TABLE "wage_profile" ("staff_id" uuid NOT NULL, "base_salary_fen" bigint NOT NULL, "updated_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "wage_profile_base_check" CHECK (base_salary_fen >= 0), CONSTRAINT "PK_70217f6bfbac9cfb00255380598" PRIMARY KEY ("staff_id"))`);
    await queryRunner.query(`CREATE TABLE "wage_adjustment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "staff_id" uuid NOT NULL, "month" text NOT NULL, "kind" text NOT NULL, "amount_fen" bigint NOT NULL, "reason" text NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "wage_adjustment_amount_check" CHECK (amount_fen > 0), CONSTRAINT "wage_adjustment_kind_check" CHECK (kind IN ('bonus', 'deduction')), CONSTRAINT "PK_b456eb1bc0bc06d92ca1bd7107d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_ab47d218ee49d8349b1a3726a3" ON "wage_adjustment" ("month", "staff_id") `);
    await queryRunner.query(`CREATE TABLE "payslip" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "month" text NOT NULL, "staff_id" uuid NOT NULL, "staff_name" text NOT NULL, "base_salary_fen" bigint NOT NULL, "commission_fen" bigint NOT NULL, "bonus_fen" bigint NOT NULL, "deduction_fen" bigint NOT NULL, "total_fen" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "payslip_month_staff_unique" UNIQUE ("month", "staff_id"), CONSTRAINT "payslip_total_check" CHECK (total_fen = base_salary_fen + commission_fen + bonus_fen - deduction_fen AND base_salary_fen >= 0 AND bonus_fen >= 0 AND deduction_fen >= 0), CONSTRAINT "PK_2945d796bbfe386e3e1bd04d13d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "attendance_settings" ("id" integer NOT NULL DEFAULT '1', "late_grace_minutes" integer NOT NULL DEFAULT '5', "early_grace_minutes" integer NOT NULL DEFAULT '5', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "attendance_settings_grace_check" CHECK (late_grace_minutes BETWEEN 0 AND 240 AND early_grace_minutes BETWEEN 0 AND 240), CONSTRAINT "attendance_settings_single_row" CHECK (id = 1), CONSTRAINT "PK_62b3aefbf1114199d7342a99d89" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "attendance_record" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "staff_id" uuid NOT NULL, "store_id" uuid NOT NULL, "business_day" date NOT NULL, "clock_in_at" TIMESTAMP WITH TIME ZONE NOT NULL, "clock_out_at" TIMESTAMP WITH TIME ZONE, "source" text NOT NULL DEFAULT 'clock', "note" text NOT NULL DEFAULT '', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "attendance_record_source_check" CHECK (source IN ('clock', 'correction')), CONSTRAINT "attendance_record_times_check" CHECK (clock_out_at IS NULL OR clock_out_at > clock_in_at), CONSTRAINT "attendance_record_no_overlap" EXCLUDE USING gist ("staff_id" WITH =, tstzrange("clock_in_at", COALESCE("clock_out_at", 'infinity'::timestamptz), '[)') WITH &&), CONSTRAINT "PK_c23131acc63826e373019447965" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_08fd8dc1fa4e982f90a6be13a6" ON "attendance_record" ("staff_id", "business_day") `);
    await queryRunner.query(`CREATE INDEX "IDX_715bd9b1110646e7199f10bc32" ON "attendance_record" ("store_id", "business_day") `);
    await queryRunner.query(`ALTER TABLE "work_schedule" ADD CONSTRAINT "FK_ac31d7b88a9fa0b2024e9e91209" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "work_schedule" ADD CONSTRAINT "FK_612e903df16907ea85bb59d009a" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "schedule_exception" ADD CONSTRAINT "FK_d1336314c225f0a5096dc4232ed" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "schedule_exception" ADD CONSTRAINT "FK_08a0ac3126fb97123af68257942" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "staff_service" ADD CONSTRAINT "FK_471186ac31b7c5828be72a99aff" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "staff_service" ADD CONSTRAINT "FK_5a308414987fd7fde96fd6fe8bc" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "booking" ADD CONSTRAINT "FK_dd759f53e27a06b23ef38a454d1" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "booking" ADD CONSTRAINT "FK_1b01d128c53ed1aa2b87ea33bf9" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "booking" ADD CONSTRAINT "FK_906bc834a251136234359221639" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "booking" ADD CONSTRAINT "FK_432bc51184aa85299e239170f97" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "booking" ADD CONSTRAINT "FK_91bed4bfaac2b5d25280ab6ffb5" FOREIGN KEY ("sku_id") REFERENCES "sku"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "queue_counter" ADD CONSTRAINT "FK_17db8dd0e594d9e6039fdcbed0c" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "queue_ticket" ADD CONSTRAINT "FK_ed0f4802a1e164530f742386e09" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "queue_ticket" ADD CONSTRAINT "FK_59bbdd76e856504ad1f2a4d0ebf" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "staff_level_assignment" ADD CONSTRAINT "FK_8a8bd045e032af966b0419bfcd0" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "staff_level_assignment" ADD CONSTRAINT "FK_265f218742053c7d8f7b9dd2dcf" FOREIGN KEY ("level_id") REFERENCES "staff_level"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "commission_rule" ADD CONSTRAINT "FK_b79ee6e96fbab65f5bbebc27404" FOREIGN KEY ("level_id") REFERENCES "staff_level"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "commission_entry" ADD CONSTRAINT "FK_bfaf769a2d601af326070057e7a" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "commission_entry" ADD CONSTRAINT "FK_881dfcdb8130a0cbbb53d38c167" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "commission_entry" ADD CONSTRAINT "FK_c4cfff0c69175fc7da0ac6c8edc" FOREIGN KEY ("accrual_id") REFERENCES "commission_entry"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "wage_profile" ADD CONSTRAINT "FK_70217f6bfbac9cfb00255380598" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "wage_adjustment" ADD CONSTRAINT "FK_945042d7679aa3083b4efe5ac19" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "wage_adjustment" ADD CONSTRAINT "FK_a7b8f6de54c261fbb62b149ec16" FOREIGN KEY ("month") REFERENCES "payroll_month"("month") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "payslip" ADD CONSTRAINT "FK_5d40400c0b9a4db1eeb268eead1" FOREIGN KEY ("month") REFERENCES "payroll_month"("month") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "payslip" ADD CONSTRAINT "FK_42c019d10f5b08344661500d8fe" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "attendance_record" ADD CONSTRAINT "FK_e920712b10addb1fc8e9588db36" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "attendance_record" ADD CONSTRAINT "FK_9df14e1f117e61f700603b7cbeb" FOREIGN KEY ("store_id") REFERENCES "store"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // Hand-written: the one-row settings tables start with their defaults.
    await queryRunner.query(`INSERT INTO "booking_settings" (id) VALUES (1)`);
    await queryRunner.query(`INSERT INTO "attendance_settings" (id) VALUES (1)`);
    // One active rule per (source, item, level); "all items" and "any level" (NULL) count as one value each.
    await queryRunner.query(`CREATE UNIQUE INDEX commission_rule_active_unique ON "commission_rule" ("source", "target_id", "level_id") NULLS NOT DISTINCT WHERE active`);
    // The commission ledger is append-only and books only into open payroll months.
    await queryRunner.query(`CREATE TRIGGER commission_entry_append_only BEFORE UPDATE OR DELETE ON "commission_entry" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER commission_entry_no_truncate BEFORE TRUNCATE ON "commission_entry" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    // A closed payroll month is read-only (关账): its row never changes again nor goes away, and
    // nothing is booked into it — commission, adjustments, payslips. The services lock the month row
    // (FOR SHARE to book, FOR UPDATE to close) so races are decided there; these are the last line.
    await queryRunner.query(`CREATE FUNCTION payroll_month_open(m text) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM payroll_month WHERE month = m AND status = 'closed') THEN
          RAISE EXCEPTION 'payroll month % is closed and read-only', m USING ERRCODE = 'P0001';
        END IF;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION commission_entry_open_period() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM payroll_month_open(NEW.period); RETURN NEW; END $$`);
    await queryRunner.query(`CREATE TRIGGER commission_entry_open_period BEFORE INSERT ON "commission_entry" FOR EACH ROW EXECUTE FUNCTION commission_entry_open_period()`);
    await queryRunner.query(`CREATE FUNCTION payroll_row_open_month() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM payroll_month_open(OLD.month); END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM payroll_month_open(NEW.month); RETURN NEW; END IF;
        RETURN OLD;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER wage_adjustment_open_month BEFORE INSERT OR UPDATE OR DELETE ON "wage_adjustment" FOR EACH ROW EXECUTE FUNCTION payroll_row_open_month()`);
    await queryRunner.query(`CREATE TRIGGER wage_adjustment_no_truncate BEFORE TRUNCATE ON "wage_adjustment" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    // Payslips are written once, by the close, while the month is still open in that transaction.
    await queryRunner.query(`CREATE TRIGGER payslip_open_month BEFORE INSERT ON "payslip" FOR EACH ROW EXECUTE FUNCTION payroll_row_open_month()`);
    await queryRunner.query(`CREATE TRIGGER payslip_append_only BEFORE UPDATE OR DELETE ON "payslip" FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER payslip_no_truncate BEFORE TRUNCATE ON "payslip" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
    await queryRunner.query(`CREATE FUNCTION payroll_month_closed_read_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'payroll months are never deleted' USING ERRCODE = 'P0001'; END IF;
        IF OLD.status = 'closed' THEN RAISE EXCEPTION 'payroll month % is closed and read-only', OLD.month USING ERRCODE = 'P0001'; END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER payroll_month_closed_read_only BEFORE UPDATE OR DELETE ON "payroll_month" FOR EACH ROW EXECUTE FUNCTION payroll_month_closed_read_only()`);
    await queryRunner.query(`CREATE TRIGGER payroll_month_no_truncate BEFORE TRUNCATE ON "payroll_month" FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER payroll_month_no_truncate ON "payroll_month"`);
    await queryRunner.query(`DROP TRIGGER payroll_month_closed_read_only ON "payroll_month"`);
    await queryRunner.query(`DROP FUNCTION payroll_month_closed_read_only()`);
    await queryRunner.query(`DROP TRIGGER payslip_no_truncate ON "payslip"`);
    await queryRunner.query(`DROP TRIGGER payslip_append_only ON "payslip"`);
    await queryRunner.query(`DROP TRIGGER payslip_open_month ON "payslip"`);
    await queryRunner.query(`DROP TRIGGER wage_adjustment_no_truncate ON "wage_adjustment"`);
    await queryRunner.query(`DROP TRIGGER wage_adjustment_open_month ON "wage_adjustment"`);
    await queryRunner.query(`DROP FUNCTION payroll_row_open_month()`);
    await queryRunner.query(`DROP TRIGGER commission_entry_open_period ON "commission_entry"`);
    await queryRunner.query(`DROP FUNCTION commission_entry_open_period()`);
    await queryRunner.query(`DROP FUNCTION payroll_month_open(text)`);
    await queryRunner.query(`DROP TRIGGER commission_entry_no_truncate ON "commission_entry"`);
    await queryRunner.query(`DROP TRIGGER commission_entry_append_only ON "commission_entry"`);
    await queryRunner.query(`DROP INDEX commission_rule_active_unique`);
    await queryRunner.query(`ALTER TABLE "attendance_record" DROP CONSTRAINT "FK_9df14e1f117e61f700603b7cbeb"`);
    await queryRunner.query(`ALTER TABLE "attendance_record" DROP CONSTRAINT "FK_e920712b10addb1fc8e9588db36"`);
    await queryRunner.query(`ALTER TABLE "payslip" DROP CONSTRAINT "FK_42c019d10f5b08344661500d8fe"`);
    await queryRunner.query(`ALTER TABLE "payslip" DROP CONSTRAINT "FK_5d40400c0b9a4db1eeb268eead1"`);
    await queryRunner.query(`ALTER TABLE "wage_adjustment" DROP CONSTRAINT "FK_a7b8f6de54c261fbb62b149ec16"`);
    await queryRunner.query(`ALTER TABLE "wage_adjustment" DROP CONSTRAINT "FK_945042d7679aa3083b4efe5ac19"`);
    await queryRunner.query(`ALTER TABLE "wage_profile" DROP CONSTRAINT "FK_70217f6bfbac9cfb00255380598"`);
    await queryRunner.query(`ALTER TABLE "commission_entry" DROP CONSTRAINT "FK_c4cfff0c69175fc7da0ac6c8edc"`);
    await queryRunner.query(`ALTER TABLE "commission_entry" DROP CONSTRAINT "FK_881dfcdb8130a0cbbb53d38c167"`);
    await queryRunner.query(`ALTER TABLE "commission_entry" DROP CONSTRAINT "FK_bfaf769a2d601af326070057e7a"`);
    await queryRunner.query(`ALTER TABLE "commission_rule" DROP CONSTRAINT "FK_b79ee6e96fbab65f5bbebc27404"`);
    await queryRunner.query(`ALTER TABLE "staff_level_assignment" DROP CONSTRAINT "FK_265f218742053c7d8f7b9dd2dcf"`);
    await queryRunner.query(`ALTER TABLE "staff_level_assignment" DROP CONSTRAINT "FK_8a8bd045e032af966b0419bfcd0"`);
    await queryRunner.query(`ALTER TABLE "queue_ticket" DROP CONSTRAINT "FK_59bbdd76e856504ad1f2a4d0ebf"`);
    await queryRunner.query(`ALTER TABLE "queue_ticket" DROP CONSTRAINT "FK_ed0f4802a1e164530f742386e09"`);
    await queryRunner.query(`ALTER TABLE "queue_counter" DROP CONSTRAINT "FK_17db8dd0e594d9e6039fdcbed0c"`);
    await queryRunner.query(`ALTER TABLE "booking" DROP CONSTRAINT "FK_91bed4bfaac2b5d25280ab6ffb5"`);
    await queryRunner.query(`ALTER TABLE "booking" DROP CONSTRAINT "FK_432bc51184aa85299e239170f97"`);
    await queryRunner.query(`ALTER TABLE "booking" DROP CONSTRAINT "FK_906bc834a251136234359221639"`);
    await queryRunner.query(`ALTER TABLE "booking" DROP CONSTRAINT "FK_1b01d128c53ed1aa2b87ea33bf9"`);
    await queryRunner.query(`ALTER TABLE "booking" DROP CONSTRAINT "FK_dd759f53e27a06b23ef38a454d1"`);
    await queryRunner.query(`ALTER TABLE "staff_service" DROP CONSTRAINT "FK_5a308414987fd7fde96fd6fe8bc"`);
    await queryRunner.query(`ALTER TABLE "staff_service" DROP CONSTRAINT "FK_471186ac31b7c5828be72a99aff"`);
    await queryRunner.query(`ALTER TABLE "schedule_exception" DROP CONSTRAINT "FK_08a0ac3126fb97123af68257942"`);
    await queryRunner.query(`ALTER TABLE "schedule_exception" DROP CONSTRAINT "FK_d1336314c225f0a5096dc4232ed"`);
    await queryRunner.query(`ALTER TABLE "work_schedule" DROP CONSTRAINT "FK_612e903df16907ea85bb59d009a"`);
    await queryRunner.query(`ALTER TABLE "work_schedule" DROP CONSTRAINT "FK_ac31d7b88a9fa0b2024e9e91209"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_715bd9b1110646e7199f10bc32"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_08fd8dc1fa4e982f90a6be13a6"`);
    await queryRunner.query(`DROP TABLE "attendance_record"`);
    await queryRunner.query(`DROP TABLE "attendance_settings"`);
    await queryRunner.query(`DROP TABLE "payslip"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ab47d218ee49d8349b1a3726a3"`);
    await queryRunner.query(`DROP TABLE "wage_adjustment"`);
    await queryRunner.query(`DROP TABLE "wage_profile"`);
    await queryRunner.query(`DROP TABLE "payroll_month"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4f33107b0318e13af1cfa39bf3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_228033485eae214d777e662e42"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_90932f42a52e62412838817702"`);
    await queryRunner.query(`DROP INDEX "public"."commission_entry_accrual_unique"`);
    await queryRunner.query(`DROP INDEX "public"."commission_entry_reversal_unique"`);
    await queryRunner.query(`DROP TABLE "commission_entry"`);
    await queryRunner.query(`DROP TABLE "commission_rule"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_265f218742053c7d8f7b9dd2dc"`);
    await queryRunner.query(`DROP TABLE "staff_level_assignment"`);
    await queryRunner.query(`DROP INDEX "public"."staff_level_name_unique"`);
    await queryRunner.query(`DROP TABLE "staff_level"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b7ee1c03384dc1c5601e31b1da"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3d89d015483f991214af9aa2a9"`);
    await queryRunner.query(`DROP TABLE "queue_ticket"`);
    await queryRunner.query(`DROP TABLE "queue_counter"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d725492a36e37bfa606e2a0b68"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6337818286f8aa92f9bfdca300"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fe5fb58f92ba39abd196609732"`);
    await queryRunner.query(`DROP INDEX "public"."booking_order_unique"`);
    await queryRunner.query(`DROP TABLE "booking"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5a308414987fd7fde96fd6fe8b"`);
    await queryRunner.query(`DROP TABLE "staff_service"`);
    await queryRunner.query(`DROP TABLE "booking_settings"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c422c45045d2f4842131c9b749"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4fe9859f402e4c134cfc3d9847"`);
    await queryRunner.query(`DROP TABLE "schedule_exception"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5861e0dd4d6a8c52c3918249d2"`);
    await queryRunner.query(`DROP TABLE "work_schedule"`);
  }
}
