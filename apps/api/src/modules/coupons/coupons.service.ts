import { Injectable, OnModuleInit } from '@nestjs/common';
import { businessDay } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import { JobScheduler } from '../../common/jobs/job-scheduler';
import { requestContext } from '../../common/request-context';
import { MembersService, type MemberJoinHook, type MemberSegment } from '../members/members.service';
import type { MemberResponse } from '../members/dto/member.dto';
import { toScope } from '../pricing/dto/product-scope.dto';
import { TierEvaluationService } from '../tiers/tier-evaluation.service';
import { WalletService, type CouponBonusGranter } from '../wallet/wallet.service';
import { CouponsRepository } from './coupons.repository';
import { newCouponCode, normaliseCouponCode } from './domain/coupon-code';
import { birthdayKeys, effectiveStatus, ruleSnapshot, templateProblems } from './domain/coupon-rules';
import type {
  CouponResponse,
  CouponTemplateResponse,
  CreateCouponTemplateRequest,
  IssueCouponRequest,
  IssueRunResponse,
  IssueToSegmentRequest,
  ListCouponsQuery,
  ListCouponTemplatesQuery,
  MemberSegmentRequest,
  SearchCouponsQuery,
  UpdateCouponTemplateRequest,
} from './dto/coupon.dto';
import type { CouponEntity, CouponIssueRunEntity, CouponSource, CouponTemplateEntity } from './entities/coupon.entity';

/** Who gets coupons in one issue, and why (the source and its ref go on every coupon). */
interface IssueContext {
  source: CouponSource;
  /** Once per (template, member, source, ref): events and segment runs set it; manual issues do not. */
  sourceRef: string | null;
  storeId: string | null;
  staffId: string | null;
  /** Coupons per member (manual issues only). */
  quantity: number;
  now: Date;
}

interface IssueOutcome {
  coupons: CouponEntity[];
  skippedLimit: number;
  skippedSoldOut: number;
}

const BATCH = 500;
const MAX_CODE_DRAWS = 5;

/**
 * Coupons (优惠券): HQ's templates; issue to a member, to a member segment (in batches), and on
 * events (join, birthday, top-up bonus); void; expiry; and the hooks the pricing engine uses to
 * read, use and give back coupons. Every issue of a template first locks the template row, so the
 * per-member limit and the total quantity are checked on counts nobody changes meanwhile.
 */
@Injectable()
export class CouponsService implements OnModuleInit, CouponBonusGranter, MemberJoinHook {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: CouponsRepository,
    private readonly audit: AuditService,
    private readonly members: MembersService,
    private readonly tiers: TierEvaluationService,
    private readonly wallet: WalletService,
    private readonly scheduler: JobScheduler,
  ) {}

  onModuleInit(): void {
    this.wallet.registerCouponGranter(this);
    this.members.registerJoinHook(this);
    // Hourly: a coupon is refused from its end instant anyway; the job makes lists and reports say so.
    this.scheduler.register({ name: 'coupons.expire', schedule: { everyMinutes: 60 }, run: async (now) => ({ expired: await this.expireCoupons(now) }) });
    // Early in the chain's day, so that the birthday coupon is there when the member wakes up.
    this.scheduler.register({ name: 'coupons.birthday', schedule: { daily: '00:10' }, run: async (now) => ({ issued: await this.issueBirthdayCoupons(now) }) });
  }

  // ── templates ───────────────────────────────────────────────────────────────

  /** Store staff see the templates usable at one of their stores; HQ sees all. */
  async listTemplates(actor: StaffActor, q: ListCouponTemplatesQuery): Promise<Page<CouponTemplateResponse>> {
    const reachableStoreIds = actor.scope === 'chain' ? undefined : actor.storeIds;
    const [rows, total] = await this.repo.listTemplates(this.tx.manager, { ...q, reachableStoreIds, offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
    return pageOf(rows.map(toTemplateResponse), total, q);
  }

  async getTemplate(actor: StaffActor, id: string): Promise<CouponTemplateResponse> {
    const t = await this.repo.template(this.tx.manager, id);
    if (!t || !usableBy(actor, t.storeIds)) throw new AppError('COUPON_TEMPLATE_NOT_FOUND');
    return toTemplateResponse(t);
  }

  createTemplate(input: CreateCouponTemplateRequest): Promise<CouponTemplateResponse> {
    return this.tx.run(async (m) => {
      const t: Partial<CouponTemplateEntity> = {
        name: input.name,
        description: input.description ?? '',
        kind: input.kind,
        amountOffFen: input.amountOffFen ?? null,
        discountBps: input.discountBps ?? null,
        maxDiscountFen: input.maxDiscountFen ?? null,
        thresholdFen: input.thresholdFen ?? 0,
        skuId: input.skuId ?? null,
        exchangePriceFen: input.exchangePriceFen ?? null,
        validityKind: input.validityKind,
        validFromDate: input.validFromDate ?? null,
        validUntilDate: input.validUntilDate ?? null,
        validDays: input.validDays ?? null,
        storeIds: input.storeIds ?? [],
        scope: toScope(input.scope),
        stackable: input.stackable ?? false,
        stackWithMemberPrice: input.stackWithMemberPrice ?? true,
        perMemberLimit: input.perMemberLimit ?? null,
        totalQuantity: input.totalQuantity ?? null,
        issuedCount: 0,
        autoIssue: input.autoIssue ?? [],
        status: input.status ?? 'active',
      };
      await this.checkTemplate(m, t as CouponTemplateEntity);
      const after = toTemplateResponse(await this.repo.saveTemplate(m, t));
      await this.audit.record(m, { action: 'coupon_template.create', entityType: 'coupon_template', entityId: after.id, after: { ...after } });
      return after;
    });
  }

  updateTemplate(id: string, input: UpdateCouponTemplateRequest): Promise<CouponTemplateResponse> {
    return this.tx.run(async (m) => {
      const t = await this.repo.lockTemplate(m, id);
      if (!t) throw new AppError('COUPON_TEMPLATE_NOT_FOUND');
      const before = toTemplateResponse(t);
      for (const key of ['name', 'description', 'validityKind', 'validFromDate', 'validUntilDate', 'validDays', 'storeIds', 'stackable', 'stackWithMemberPrice', 'perMemberLimit', 'totalQuantity', 'autoIssue', 'status'] as const) {
        if (input[key] !== undefined) (t as unknown as Record<string, unknown>)[key] = input[key];
      }
      if (input.scope !== undefined) t.scope = toScope(input.scope);
      await this.checkTemplate(m, t);
      const after = toTemplateResponse(await this.repo.saveTemplate(m, t));
      const changes = diff({ ...before, updatedAt: '' }, { ...after, updatedAt: '' });
      await this.audit.record(m, { action: 'coupon_template.update', entityType: 'coupon_template', entityId: id, ...changes });
      return after;
    });
  }

  // ── issue ───────────────────────────────────────────────────────────────────

  /** Issues coupons of a template to one member at the counter or in the back office (发券), audited. */
  issueToMember(actor: StaffActor, memberId: string, input: IssueCouponRequest): Promise<CouponResponse[]> {
    return this.tx.run(async (m) => {
      const member = await this.members.get(memberId);
      if (member.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
      if (!(await this.repo.storeExists(m, input.storeId))) throw new AppError('STORE_NOT_FOUND');
      const now = new Date();
      const out = await this.issue(m, input.templateId, [memberId], { source: 'manual', sourceRef: null, storeId: input.storeId, staffId: actor.id, quantity: input.quantity ?? 1, now }, true);
      if (out.skippedLimit) throw new AppError('COUPON_MEMBER_LIMIT_REACHED');
      if (out.skippedSoldOut) throw new AppError('COUPON_SOLD_OUT');
      const issued = out.coupons.map((c) => toCouponResponse(c, now));
      await this.audit.record(m, {
        action: 'coupon.issue',
        entityType: 'coupon_template',
        entityId: input.templateId,
        storeId: input.storeId,
        after: { memberId, couponIds: issued.map((c) => c.id), codes: issued.map((c) => c.code) },
      });
      return issued;
    });
  }

  /**
   * Issues one coupon of a template to every active member of a segment (定向发券): members are read
   * page by page (by id) and each page is issued in its own transaction, so a big chain never holds
   * one long transaction. The run's id is each coupon's source_ref: a member gets at most one per
   * run. Members at the per-member limit are skipped; when the total quantity runs out, the rest
   * are counted as skipped.
   */
  async issueToSegment(actor: StaffActor, templateId: string, input: IssueToSegmentRequest): Promise<IssueRunResponse> {
    const now = new Date();
    const segment = input.segment;
    const run = await this.tx.run(async (m) => {
      const t = await this.repo.template(m, templateId);
      if (!t) throw new AppError('COUPON_TEMPLATE_NOT_FOUND');
      if (t.status !== 'active') throw new AppError('COUPON_TEMPLATE_DISABLED');
      const created = await this.repo.insertRun(m, { templateId, segment: { ...segment }, createdBy: actor.id });
      await this.audit.record(m, { action: 'coupon.issue_segment', entityType: 'coupon_issue_run', entityId: created.id, after: { templateId, segment: { ...segment } } });
      return created;
    });
    const filter = toMemberSegment(segment, now);
    let after: string | null = null;
    for (;;) {
      const ids = await this.members.segmentPage(this.tx.dataSource.manager, filter, after, BATCH);
      if (!ids.length) break;
      after = ids[ids.length - 1];
      await this.tx.run(async (m) => {
        let chosen = ids;
        if (segment.minSpendFen) {
          const spend = await this.tiers.spendOf(m, ids, segment.spendWindowDays ?? 0, now);
          chosen = ids.filter((id) => (spend.get(id) ?? 0) >= segment.minSpendFen!);
        }
        const out = await this.issue(m, templateId, chosen, { source: 'segment', sourceRef: run.id, storeId: null, staffId: actor.id, quantity: 1, now }, false);
        await this.repo.addToRun(m, run.id, { matched: chosen.length, issued: out.coupons.length, skippedLimit: out.skippedLimit, skippedSoldOut: out.skippedSoldOut });
      });
      if (ids.length < BATCH) break;
    }
    const done = await this.tx.run(async (m) => {
      const finished = await this.repo.finishRun(m, run.id, new Date());
      await this.audit.record(m, { action: 'coupon.issue_segment.done', entityType: 'coupon_issue_run', entityId: run.id, after: { ...toRunResponse(finished) } });
      return finished;
    });
    return toRunResponse(done);
  }

  /** MemberJoinHook: the join coupons (入会礼), in the registration's transaction; a template that cannot issue is skipped. */
  async onMemberJoined(m: EntityManager, member: MemberResponse, storeId: string): Promise<void> {
    const now = new Date();
    for (const templateId of await this.repo.autoTemplates(m, 'join')) {
      const out = await this.issue(m, templateId, [member.id], { source: 'join', sourceRef: 'join', storeId, staffId: null, quantity: 1, now }, false);
      if (out.coupons.length) {
        await this.audit.record(m, { action: 'coupon.issue_join', entityType: 'coupon', entityId: out.coupons[0].id, storeId, after: { memberId: member.id, templateId } });
      }
    }
  }

  /**
   * The birthday job (生日礼): on each business day (chain time zone) every active member whose
   * birthday it is gets one coupon of every birthday template, once per year (the year is the
   * coupon's source_ref); 29 February birthdays are celebrated on 28 February in common years.
   */
  async issueBirthdayCoupons(now = new Date()): Promise<number> {
    const timeZone = await this.repo.chainTimeZone(this.tx.dataSource.manager);
    const today = businessDay(now, timeZone);
    const filter: MemberSegment = { birthdayMonthDays: birthdayKeys(today) };
    let issued = 0;
    for (const templateId of await this.repo.autoTemplates(this.tx.dataSource.manager, 'birthday')) {
      let after: string | null = null;
      for (;;) {
        const ids = await this.members.segmentPage(this.tx.dataSource.manager, filter, after, BATCH);
        if (!ids.length) break;
        after = ids[ids.length - 1];
        issued += await this.tx.run(async (m) => {
          const out = await this.issue(m, templateId, ids, { source: 'birthday', sourceRef: today.slice(0, 4), storeId: null, staffId: null, quantity: 1, now }, false);
          if (out.coupons.length) {
            await this.audit.record(m, { action: 'coupon.issue_birthday', entityType: 'coupon_template', entityId: templateId, after: { day: today, couponIds: out.coupons.map((c) => c.id) } });
          }
          return out.coupons.length;
        });
        if (ids.length < BATCH) break;
      }
    }
    return issued;
  }

  /**
   * The coupon of the birthday greeting's benefit (生日礼遇, chosen in the notification settings):
   * one coupon of the template, once per member and year. It is the same event as the birthday
   * templates' own job (source birthday, ref the year), so a template given both ways is given
   * once and this returns that coupon. Null when the template cannot issue (disabled, ended, sold out).
   */
  async grantBirthdayCoupon(m: EntityManager, cmd: { memberId: string; templateId: string; year: number }): Promise<{ couponId: string; couponName: string } | null> {
    const ref = String(cmd.year);
    const out = await this.issue(m, cmd.templateId, [cmd.memberId], { source: 'birthday', sourceRef: ref, storeId: null, staffId: null, quantity: 1, now: new Date() }, false);
    const coupon = out.coupons[0] ?? (await this.repo.couponOfEvent(m, cmd.templateId, cmd.memberId, 'birthday', ref));
    if (!coupon) return null;
    if (out.coupons.length) {
      await this.audit.record(m, { action: 'coupon.issue_birthday', entityType: 'coupon', entityId: coupon.id, after: { memberId: cmd.memberId, templateId: cmd.templateId, year: cmd.year } });
    }
    return { couponId: coupon.id, couponName: coupon.rule.name };
  }

  /** For the expiry reminder (优惠券到期提醒): unused coupons ending in (now, until], a page at a time in id order. */
  async expiringBetween(now: Date, until: Date, afterId: string | null, limit = 500): Promise<{ couponId: string; memberId: string; name: string; validUntil: Date; issuedStoreId: string | null }[]> {
    const rows = await this.repo.expiringBetween(this.tx.manager, now, until, afterId, limit);
    return rows.map((c) => ({ couponId: c.id, memberId: c.memberId, name: c.rule.name, validUntil: c.validUntil, issuedStoreId: c.issuedStoreId }));
  }

  /** CouponBonusGranter: whether a bonus rule may name this template. */
  async couponTemplateExists(m: EntityManager, templateId: string): Promise<boolean> {
    return (await this.repo.template(m, templateId)) !== null;
  }

  /** CouponBonusGranter: a coupon given by a top-up bonus rule (充值送券), once per top-up; null when the template cannot issue. */
  async grantBonusCoupon(m: EntityManager, cmd: { memberId: string; templateId: string; storeId: string; topUpId: string }): Promise<string | null> {
    const actor = requestContext.get()?.actor;
    const out = await this.issue(
      m,
      cmd.templateId,
      [cmd.memberId],
      { source: 'top_up', sourceRef: cmd.topUpId, storeId: cmd.storeId, staffId: actor?.kind === 'staff' ? actor.id : null, quantity: 1, now: new Date() },
      false,
    );
    const coupon = out.coupons[0];
    if (!coupon) return null;
    await this.audit.record(m, { action: 'coupon.issue_top_up', entityType: 'coupon', entityId: coupon.id, storeId: cmd.storeId, after: { memberId: cmd.memberId, topUpId: cmd.topUpId, templateId: cmd.templateId } });
    return coupon.id;
  }

  /** CouponBonusGranter: takes a bonus coupon back when its top-up is refunded; false once it was used. */
  async revokeBonusCoupon(m: EntityManager, couponId: string, reason: string): Promise<boolean> {
    const coupon = await this.repo.lockCoupon(m, couponId);
    if (!coupon || coupon.status === 'voided' || coupon.status === 'expired') return true;
    if (coupon.status === 'used') return false;
    await this.repo.voidCoupon(m, couponId, { reason: `充值退款：${reason}`, staffId: staffIdOf(), at: new Date() });
    await this.audit.record(m, { action: 'coupon.void', entityType: 'coupon', entityId: couponId, reason: `top-up refund: ${reason}`, before: { status: 'unused' }, after: { status: 'voided' } });
    return true;
  }

  /**
   * The one place coupons are written: under the template's lock, checks status and validity,
   * skips members at the per-member limit (or already given this event), stops at the total
   * quantity, draws codes and counts the issue on the template. `strict` (manual issues) refuses a
   * disabled or ended template; events and runs skip it quietly.
   */
  private async issue(m: EntityManager, templateId: string, memberIds: string[], ctx: IssueContext, strict: boolean): Promise<IssueOutcome> {
    const none: IssueOutcome = { coupons: [], skippedLimit: 0, skippedSoldOut: 0 };
    const t = await this.repo.lockTemplate(m, templateId);
    if (!t) {
      if (strict) throw new AppError('COUPON_TEMPLATE_NOT_FOUND');
      return none;
    }
    if (t.status !== 'active') {
      if (strict) throw new AppError('COUPON_TEMPLATE_DISABLED');
      return { ...none, skippedSoldOut: memberIds.length };
    }
    if (!memberIds.length) return none;
    const timeZone = await this.repo.chainTimeZone(m);
    const { validFrom, validUntil } = await this.repo.validity(m, t, ctx.now, timeZone);
    if (validUntil.getTime() <= ctx.now.getTime()) {
      if (strict) throw new AppError('COUPON_TEMPLATE_EXPIRED');
      return { ...none, skippedSoldOut: memberIds.length };
    }
    const already = ctx.sourceRef ? await this.repo.issuedForEvent(m, t.id, memberIds, ctx.source, ctx.sourceRef) : new Set<string>();
    const counts = t.perMemberLimit === null ? new Map<string, number>() : await this.repo.issuedCounts(m, t.id, memberIds);
    const fresh = [...new Set(memberIds)].filter((id) => !already.has(id)).sort();
    const withinLimit = fresh.filter((id) => t.perMemberLimit === null || (counts.get(id) ?? 0) + ctx.quantity <= t.perMemberLimit);
    const left = t.totalQuantity === null ? Number.MAX_SAFE_INTEGER : t.totalQuantity - t.issuedCount;
    const served = withinLimit.slice(0, Math.max(0, Math.floor(left / ctx.quantity)));
    const rule = ruleSnapshot(t);
    let pending = served.flatMap((memberId) => Array.from({ length: ctx.quantity }, () => memberId));
    const coupons: CouponEntity[] = [];
    for (let draw = 0; pending.length > 0; draw++) {
      if (draw === MAX_CODE_DRAWS) throw new Error('coupon codes kept colliding');
      const rows = pending.map((memberId) => ({
        templateId: t.id,
        memberId,
        code: newCouponCode(),
        rule,
        status: 'unused' as const,
        validFrom,
        validUntil,
        source: ctx.source,
        sourceRef: ctx.sourceRef,
        issuedStoreId: ctx.storeId,
        issuedByStaffId: ctx.staffId,
      }));
      const written = await this.repo.insertCoupons(m, rows);
      coupons.push(...written);
      // What was not written collided on its code (or, for an event, raced a second issue of it): draw again for those not issued now.
      const writtenCodes = new Set(written.map((c) => c.code));
      const missing = rows.filter((r) => !writtenCodes.has(r.code)).map((r) => r.memberId);
      const issuedMeanwhile = ctx.sourceRef && missing.length ? await this.repo.issuedForEvent(m, t.id, missing, ctx.source, ctx.sourceRef) : new Set<string>();
      pending = missing.filter((id) => !issuedMeanwhile.has(id));
    }
    if (coupons.length && !(await this.repo.addIssued(m, t.id, coupons.length))) throw new AppError('COUPON_SOLD_OUT');
    return { coupons, skippedLimit: fresh.length - withinLimit.length, skippedSoldOut: withinLimit.length - served.length };
  }

  // ── reading ─────────────────────────────────────────────────────────────────

  async listForMember(memberId: string, q: ListCouponsQuery): Promise<Page<CouponResponse>> {
    await this.members.get(memberId);
    return this.search(null, { ...q, memberId });
  }

  /**
   * Finds coupons. A code or a member reaches every store's coupons (they are the member's, 跨店通用);
   * without either, store staff see the coupons issued or used at their stores.
   */
  async search(actor: StaffActor | null, q: SearchCouponsQuery): Promise<Page<CouponResponse>> {
    const now = new Date();
    let code: string | undefined;
    if (q.code !== undefined) {
      const normalised = normaliseCouponCode(q.code);
      if (!normalised) return pageOf([], 0, q);
      code = normalised;
    }
    const [rows, total] = await this.repo.listCoupons(this.tx.manager, {
      memberId: q.memberId,
      templateId: q.templateId,
      code,
      status: q.status,
      storeId: q.storeId,
      seenAtStoreIds: actor && actor.scope !== 'chain' && !q.code && !q.memberId ? actor.storeIds : undefined,
      now,
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    return pageOf(
      rows.map((c) => toCouponResponse(c, now)),
      total,
      q,
    );
  }

  /** One coupon; `memberId` restricts it to that member's (member app). */
  async get(couponId: string, memberId?: string): Promise<CouponResponse> {
    const c = await this.repo.coupon(this.tx.manager, couponId, memberId);
    if (!c) throw new AppError('COUPON_NOT_FOUND');
    return toCouponResponse(c, new Date());
  }

  // ── void and expiry ─────────────────────────────────────────────────────────

  /** Voids an unused coupon (作废), with a reason, audited. */
  void(actor: StaffActor, couponId: string, reason: string): Promise<CouponResponse> {
    return this.tx.run(async (m) => {
      const c = await this.repo.lockCoupon(m, couponId);
      if (!c) throw new AppError('COUPON_NOT_FOUND');
      const now = new Date();
      if (effectiveStatus(c.status, c.validUntil, now) !== 'unused' || !(await this.repo.voidCoupon(m, couponId, { reason, staffId: actor.id, at: now }))) {
        throw new AppError('COUPON_NOT_UNUSED', { status: effectiveStatus(c.status, c.validUntil, now) });
      }
      await this.audit.record(m, { action: 'coupon.void', entityType: 'coupon', entityId: couponId, reason, before: { status: 'unused' }, after: { status: 'voided', memberId: c.memberId, code: c.code } });
      return toCouponResponse((await this.repo.coupon(m, couponId))!, now);
    });
  }

  /** The expiry job: marks unused coupons past their end as expired, in rounds of 1000, each its own transaction. */
  async expireCoupons(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.tx.run((m) => this.repo.expireDue(m, now, 1000));
      total += n;
      if (n < 1000) return total;
    }
  }

  // ── for the pricing engine (in the caller's transaction) ───────────────────

  /** The coupons a quote names, as stored; COUPON_NOT_FOUND for an id that does not exist. */
  async forQuote(m: EntityManager, couponIds: string[]): Promise<CouponEntity[]> {
    const rows = await this.repo.coupons(m, couponIds);
    const missing = couponIds.find((id) => !rows.some((r) => r.id === id));
    if (missing) throw new AppError('COUPON_NOT_FOUND', { couponId: missing });
    return rows;
  }

  /**
   * Marks the coupons used by an order, in ascending id order (so that two orders never wait on
   * each other in opposite orders). Each is a conditional UPDATE: a coupon used, voided or expired
   * since the quote — or taken by a concurrent order — refuses the whole order with COUPON_UNAVAILABLE.
   */
  async use(m: EntityManager, cmd: { couponIds: string[]; memberId: string; orderId: string; storeId: string; at: Date }): Promise<void> {
    for (const id of [...new Set(cmd.couponIds)].sort()) {
      if (!(await this.repo.useCoupon(m, id, { memberId: cmd.memberId, orderId: cmd.orderId, storeId: cmd.storeId, at: cmd.at }))) {
        throw new AppError('COUPON_UNAVAILABLE', { couponId: id });
      }
    }
  }

  /** Gives back the coupons an order used (a whole-order refund): unused while still valid, else expired; audited. */
  async restore(m: EntityManager, cmd: { orderId: string; at: Date; reason?: string }): Promise<{ couponId: string; status: 'unused' | 'expired' }[]> {
    const rows = await this.repo.restoreForOrder(m, cmd.orderId, cmd.at);
    for (const r of rows) {
      await this.audit.record(m, {
        action: 'coupon.restore',
        entityType: 'coupon',
        entityId: r.id,
        storeId: r.used_store_id,
        reason: cmd.reason ?? 'order refunded',
        before: { status: 'used', orderId: cmd.orderId },
        after: { status: r.status },
      });
    }
    return rows.map((r) => ({ couponId: r.id, status: r.status as 'unused' | 'expired' }));
  }

  private async checkTemplate(m: EntityManager, t: CouponTemplateEntity): Promise<void> {
    const problems = templateProblems(t);
    const missing = await this.repo.missingStores(m, t.storeIds);
    if (missing.length) problems.push({ field: 'storeIds', errors: [`no such store: ${missing.join(', ')}`] });
    if (problems.length) throw new AppError('VALIDATION_FAILED', problems);
  }
}

/** Whether a rule with this store list applies at one of the actor's stores (HQ: always). */
function usableBy(actor: StaffActor, storeIds: string[]): boolean {
  return actor.scope === 'chain' || storeIds.length === 0 || storeIds.some((s) => actor.storeIds.includes(s));
}

function staffIdOf(): string | null {
  const actor = requestContext.get()?.actor;
  return actor?.kind === 'staff' ? actor.id : null;
}

function toMemberSegment(s: MemberSegmentRequest, now: Date): MemberSegment {
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  return {
    tierIds: s.tierIds,
    tagsAny: s.tagsAny,
    homeStoreIds: s.homeStoreIds,
    lastVisitAfter: s.visitedWithinDays ? daysAgo(s.visitedWithinDays) : undefined,
    lastVisitBefore: s.notVisitedDays ? daysAgo(s.notVisitedDays) : undefined,
  };
}

export function toTemplateResponse(t: CouponTemplateEntity): CouponTemplateResponse {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    kind: t.kind,
    amountOffFen: t.amountOffFen,
    discountBps: t.discountBps,
    maxDiscountFen: t.maxDiscountFen,
    thresholdFen: t.thresholdFen,
    skuId: t.skuId,
    exchangePriceFen: t.exchangePriceFen,
    validityKind: t.validityKind,
    validFromDate: t.validFromDate,
    validUntilDate: t.validUntilDate,
    validDays: t.validDays,
    storeIds: t.storeIds,
    scope: toScope(t.scope),
    stackable: t.stackable,
    stackWithMemberPrice: t.stackWithMemberPrice,
    perMemberLimit: t.perMemberLimit,
    totalQuantity: t.totalQuantity,
    issuedCount: t.issuedCount,
    autoIssue: t.autoIssue,
    status: t.status,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function toCouponResponse(c: CouponEntity, now: Date): CouponResponse {
  const r = c.rule;
  return {
    id: c.id,
    code: c.code,
    templateId: c.templateId,
    memberId: c.memberId,
    name: r.name,
    kind: r.kind,
    amountOffFen: r.amountOffFen,
    discountBps: r.discountBps,
    maxDiscountFen: r.maxDiscountFen,
    thresholdFen: r.thresholdFen,
    skuId: r.skuId,
    exchangePriceFen: r.exchangePriceFen,
    storeIds: r.storeIds,
    scope: toScope(r.scope),
    stackable: r.stackable,
    stackWithMemberPrice: r.stackWithMemberPrice,
    status: effectiveStatus(c.status, c.validUntil, now),
    validFrom: c.validFrom.toISOString(),
    validUntil: c.validUntil.toISOString(),
    source: c.source,
    issuedStoreId: c.issuedStoreId,
    orderId: c.orderId,
    usedAt: c.usedAt ? c.usedAt.toISOString() : null,
    usedStoreId: c.usedStoreId,
    voidedAt: c.voidedAt ? c.voidedAt.toISOString() : null,
    voidReason: c.voidReason,
    createdAt: c.createdAt.toISOString(),
  };
}

function toRunResponse(r: CouponIssueRunEntity): IssueRunResponse {
  return {
    id: r.id,
    templateId: r.templateId,
    segment: r.segment,
    status: r.status,
    matched: r.matched,
    issued: r.issued,
    skippedLimit: r.skippedLimit,
    skippedSoldOut: r.skippedSoldOut,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt ? r.finishedAt.toISOString() : null,
  };
}
