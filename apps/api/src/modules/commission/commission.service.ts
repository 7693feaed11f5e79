import { Injectable, type OnModuleInit } from '@nestjs/common';
import { addDays, businessDay, zonedInstant, type CommissionSource } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { pgConstraint, pgErrorCode, TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { type Page } from '../../common/http/pagination';
import { BookingsService } from '../bookings/bookings.service';
import { CardsService, type CardIssueObserver } from '../cards/cards.service';
import { CatalogService } from '../catalog/catalog.service';
import { CountCardsService, type CountCardSaleObserver } from '../count-cards/count-cards.service';
import { PayrollPeriodsService } from '../payroll/payroll-periods.service';
import { StoresService } from '../stores/stores.service';
import { WalletService, type TopUpObserver } from '../wallet/wallet.service';
import { CommissionRepository, type EntryRow, type NewEntry } from './commission.repository';
import { commissionFor, reversalFor } from './domain/commission-rules';
import type {
  CommissionEntriesQuery,
  CommissionEntryResponse,
  CommissionRuleResponse,
  CreateCommissionRuleRequest,
  CreateStaffLevelRequest,
  ListCommissionRulesQuery,
  MyCommissionQuery,
  PerformanceQuery,
  PerformanceResponse,
  SetStaffLevelRequest,
  StaffLevelOfResponse,
  StaffLevelResponse,
  UpdateCommissionRuleRequest,
  UpdateStaffLevelRequest,
} from './dto/commission.dto';
import type { CommissionRuleEntity, StaffLevelEntity } from './entities/commission.entity';

/**
 * What checkout tells commission when an order completes, in the order's transaction. One line per
 * order line: goods earn 'product' commission, services 'service'; `baseFen` is what the line was
 * sold for after discounts (the count-card-covered part included); `staffIds` are the line's serving
 * or selling staff (order_line_staff, in order). Lines without staff earn nobody anything.
 */
export interface CommissionOrder {
  orderId: string;
  storeId: string;
  at?: Date;
  lines: { lineId: string; kind: 'goods' | 'service'; productId: string | null; quantity: number; baseFen: number; staffIds: string[] }[];
}

/** What checkout tells commission of a refund, in the refund's transaction: per order line, the units and amount refunded now. */
export interface CommissionOrderRefund {
  orderId: string;
  refundId: string;
  storeId: string;
  at?: Date;
  lines: { lineId: string; quantity: number; amountFen: number }[];
}

interface SaleItem {
  itemRef: string;
  source: CommissionSource;
  targetId: string | null;
  quantity: number;
  baseFen: number;
  staffIds: string[];
}

const ORDER_REF = 'order';

/**
 * Commission (提成): staff levels, rules, and the commission ledger. Sales reach it in their own
 * transaction — orders call onOrderCompleted / onOrderRefunded, and top-ups, count-card sales and
 * card issues through the observers it registers with those capabilities at start-up — so an
 * entry exists exactly when its sale does, and a refund's reversal exactly when the refund does.
 */
@Injectable()
export class CommissionService implements OnModuleInit, TopUpObserver, CountCardSaleObserver, CardIssueObserver {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: CommissionRepository,
    private readonly periods: PayrollPeriodsService,
    private readonly stores: StoresService,
    private readonly catalog: CatalogService,
    private readonly countCards: CountCardsService,
    private readonly bookings: BookingsService,
    private readonly wallet: WalletService,
    private readonly cards: CardsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.wallet.registerTopUpObserver(this);
    this.countCards.registerSaleObserver(this);
    this.cards.registerIssueObserver(this);
  }

  // ── the seams: sales and refunds ──────────────────────────────────────────────

  /** An order completed (checkout, in its transaction): one accrual per line and serving staff member. */
  async onOrderCompleted(m: EntityManager, order: CommissionOrder): Promise<void> {
    await this.accrue(m, {
      storeId: order.storeId,
      at: order.at ?? new Date(),
      refType: ORDER_REF,
      refId: order.orderId,
      items: order.lines.map((l) => ({
        itemRef: l.lineId,
        source: l.kind === 'service' ? 'service' : 'product',
        targetId: l.productId,
        quantity: l.quantity,
        baseFen: l.baseFen,
        staffIds: l.staffIds,
      })),
    });
  }

  /** An order refund (in its transaction): each refunded line reverses its share of the line's accruals. */
  async onOrderRefunded(m: EntityManager, refund: CommissionOrderRefund): Promise<void> {
    await this.reverse(m, { at: refund.at ?? new Date(), refType: ORDER_REF, reversalRef: refund.refundId, items: refund.lines.map((l) => ({ itemRef: l.lineId, quantity: l.quantity, lineFen: l.amountFen })) });
  }

  /** TopUpObserver: a top-up earns its seller top-up commission (充值提成). */
  async topUpCompleted(m: EntityManager, e: { topUpId: string; storeId: string; amountFen: number; soldByStaffId: string | null; at: Date }): Promise<void> {
    if (!e.soldByStaffId) return;
    await this.accrue(m, { storeId: e.storeId, at: e.at, refType: 'wallet_top_up', refId: e.topUpId, items: [{ itemRef: e.topUpId, source: 'top_up', targetId: null, quantity: 1, baseFen: e.amountFen, staffIds: [e.soldByStaffId] }] });
  }

  /** TopUpObserver: a refunded top-up takes its commission back in full. */
  async topUpRefunded(m: EntityManager, e: { topUpId: string; at: Date }): Promise<void> {
    await this.reverseWhole(m, 'wallet_top_up', e.topUpId, `wallet_top_up_refund:${e.topUpId}`, e.at);
  }

  /** CountCardSaleObserver: a count card sold earns its seller card commission (售卡提成). */
  async countCardSold(m: EntityManager, e: { cardId: string; templateId: string; storeId: string; priceFen: number; soldByStaffId: string | null; at: Date }): Promise<void> {
    if (!e.soldByStaffId) return;
    await this.accrue(m, { storeId: e.storeId, at: e.at, refType: 'member_count_card', refId: e.cardId, items: [{ itemRef: e.cardId, source: 'count_card', targetId: e.templateId, quantity: 1, baseFen: e.priceFen, staffIds: [e.soldByStaffId] }] });
  }

  /** CardIssueObserver: issuing a member card earns card-issue commission (办卡提成). */
  async cardIssued(m: EntityManager, e: { cardId: string; storeId: string; issuedByStaffId: string; at: Date }): Promise<void> {
    await this.accrue(m, { storeId: e.storeId, at: e.at, refType: 'card', refId: e.cardId, items: [{ itemRef: e.cardId, source: 'card_issue', targetId: null, quantity: 1, baseFen: 0, staffIds: [e.issuedByStaffId] }] });
  }

  /** Net commission per staff member booked into a payroll month (wages read it). */
  totalsByStaff(m: EntityManager, month: string): Promise<Map<string, number>> {
    return this.repo.totalsByStaff(m, month);
  }

  // ── levels ──────────────────────────────────────────────────────────────────

  async levels(): Promise<StaffLevelResponse[]> {
    return (await this.repo.levels(this.tx.manager)).map(toLevelResponse);
  }

  createLevel(input: CreateStaffLevelRequest): Promise<StaffLevelResponse> {
    return this.unique(async (m) => {
      const level = toLevelResponse(await this.repo.saveLevel(m, { name: input.name, rank: input.rank ?? 0 }));
      await this.audit.record(m, { action: 'commission.level.create', entityType: 'staff_level', entityId: level.id, after: { ...level } });
      return level;
    });
  }

  updateLevel(id: string, input: UpdateStaffLevelRequest): Promise<StaffLevelResponse> {
    return this.unique(async (m) => {
      const level = await this.requireLevel(m, id);
      const before = toLevelResponse(level);
      if (input.name !== undefined) level.name = input.name;
      if (input.rank !== undefined) level.rank = input.rank;
      const after = toLevelResponse(await this.repo.saveLevel(m, level));
      await this.audit.record(m, { action: 'commission.level.update', entityType: 'staff_level', entityId: id, ...diff(before, after) });
      return after;
    });
  }

  deleteLevel(id: string): Promise<void> {
    return this.tx.run(async (m) => {
      const level = await this.requireLevel(m, id);
      if (await this.repo.levelInUse(m, id)) throw new AppError('STAFF_LEVEL_IN_USE');
      await this.repo.deleteLevel(m, id);
      await this.audit.record(m, { action: 'commission.level.delete', entityType: 'staff_level', entityId: id, before: { ...toLevelResponse(level) } });
    });
  }

  async levelOf(staffId: string): Promise<StaffLevelOfResponse> {
    const m = this.tx.manager;
    const levelId = (await this.repo.levelsOf(m, [staffId])).get(staffId);
    const level = levelId ? await this.repo.level(m, levelId) : null;
    return { staffId, level: level ? toLevelResponse(level) : null };
  }

  /** Puts a staff member at a level (or none); applies to sales from now on. */
  setLevel(staffId: string, input: SetStaffLevelRequest): Promise<StaffLevelOfResponse> {
    return this.tx.run(async (m) => {
      if (input.levelId) await this.requireLevel(m, input.levelId);
      const before = (await this.repo.levelsOf(m, [staffId])).get(staffId) ?? null;
      await this.repo.setLevel(m, staffId, input.levelId);
      await this.audit.record(m, { action: 'commission.level.assign', entityType: 'staff', entityId: staffId, before: { levelId: before }, after: { levelId: input.levelId } });
      return this.levelOf(staffId);
    });
  }

  // ── rules ───────────────────────────────────────────────────────────────────

  async rules(q: ListCommissionRulesQuery): Promise<CommissionRuleResponse[]> {
    return (await this.repo.rules(this.tx.manager, q)).map(toRuleResponse);
  }

  async rule(id: string): Promise<CommissionRuleResponse> {
    const r = await this.repo.rule(this.tx.manager, id);
    if (!r) throw new AppError('COMMISSION_RULE_NOT_FOUND');
    return toRuleResponse(r);
  }

  /** A new rule (HQ). Its item must be of the source's kind; its mode needs its figure; one active rule per (source, item, level). */
  createRule(input: CreateCommissionRuleRequest): Promise<CommissionRuleResponse> {
    return this.unique(async (m) => {
      const fields = {
        name: input.name,
        source: input.source,
        targetId: input.targetId ?? null,
        levelId: input.levelId ?? null,
        mode: input.mode,
        amountFen: input.mode === 'fixed' ? (input.amountFen ?? null) : null,
        rateBps: input.mode === 'percent' ? (input.rateBps ?? null) : null,
        minBaseFen: input.minBaseFen ?? 0,
        split: input.split ?? 'share',
        active: input.active ?? true,
      };
      checkFigures(fields.mode, input.amountFen ?? null, input.rateBps ?? null);
      await this.checkTarget(fields.source, fields.targetId);
      if (fields.levelId) await this.requireLevel(m, fields.levelId);
      const rule = toRuleResponse(await this.repo.saveRule(m, fields));
      await this.audit.record(m, { action: 'commission.rule.create', entityType: 'commission_rule', entityId: rule.id, after: { ...rule } });
      return rule;
    });
  }

  updateRule(id: string, input: UpdateCommissionRuleRequest): Promise<CommissionRuleResponse> {
    return this.unique(async (m) => {
      const rule = await this.repo.rule(m, id);
      if (!rule) throw new AppError('COMMISSION_RULE_NOT_FOUND');
      const before = toRuleResponse(rule);
      if (input.name !== undefined) rule.name = input.name;
      if (input.minBaseFen !== undefined) rule.minBaseFen = input.minBaseFen;
      if (input.split !== undefined) rule.split = input.split;
      if (input.active !== undefined) rule.active = input.active;
      if (input.mode !== undefined || input.amountFen !== undefined || input.rateBps !== undefined) {
        const mode = input.mode ?? rule.mode;
        const amountFen = input.amountFen !== undefined ? input.amountFen : rule.amountFen;
        const rateBps = input.rateBps !== undefined ? input.rateBps : rule.rateBps;
        checkFigures(mode, amountFen, rateBps);
        rule.mode = mode;
        rule.amountFen = mode === 'fixed' ? amountFen : null;
        rule.rateBps = mode === 'percent' ? rateBps : null;
      }
      const after = toRuleResponse(await this.repo.saveRule(m, rule));
      await this.audit.record(m, { action: 'commission.rule.update', entityType: 'commission_rule', entityId: id, ...diff({ ...before, updatedAt: '' }, { ...after, updatedAt: '' }) });
      return after;
    });
  }

  // ── reads ───────────────────────────────────────────────────────────────────

  async entries(actor: StaffActor, q: CommissionEntriesQuery): Promise<Page<CommissionEntryResponse> & { amountFen: number }> {
    const [rows, total, amountFen] = await this.repo.entries(this.tx.manager, {
      storeIds: q.storeId ? [q.storeId] : actor.scope === 'chain' ? null : actor.storeIds,
      staffId: q.staffId,
      period: q.month,
      source: q.source,
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    return { items: rows.map(toEntryResponse), total, page: q.page, pageSize: q.pageSize, amountFen };
  }

  /** The caller's own commission of a payroll month, at every store. */
  async mine(actor: StaffActor, q: MyCommissionQuery): Promise<Page<CommissionEntryResponse> & { amountFen: number }> {
    const month = q.month ?? businessDay(new Date()).slice(0, 7);
    const [rows, total, amountFen] = await this.repo.entries(this.tx.manager, { storeIds: null, staffId: actor.id, period: month, offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
    return { items: rows.map(toEntryResponse), total, page: q.page, pageSize: q.pageSize, amountFen };
  }

  /**
   * Staff performance (员工业绩) over business days: sales credited, services performed, products,
   * top-ups and cards sold, bookings served and net commission, per staff member.
   */
  async performance(actor: StaffActor, q: PerformanceQuery): Promise<PerformanceResponse> {
    const m = this.tx.manager;
    const timeZone = q.storeId ? (await this.stores.get(q.storeId)).timeZone : 'Asia/Shanghai';
    const today = businessDay(new Date(), timeZone);
    const from = q.from ?? `${today.slice(0, 7)}-01`;
    const to = q.to ?? today;
    if (to < from) throw new AppError('VALIDATION_FAILED', [{ field: 'to', errors: ['to must not be before from'] }]);
    const storeIds = q.storeId ? [q.storeId] : actor.scope === 'chain' ? null : actor.storeIds;
    const rows = await this.repo.performance(m, { storeIds, from, to });
    const served = await this.bookings.servedCounts(m, { storeIds, from: zonedInstant(from, 0, timeZone), to: zonedInstant(addDays(to, 1), 0, timeZone) });
    const byStaff = new Map(rows.map((r) => [r.staffId, { ...r, bookingsServed: served.get(r.staffId) ?? 0 }]));
    const names = await this.repo.staffNames(m, [...served.keys()].filter((id) => !byStaff.has(id)));
    for (const [staffId, n] of served) {
      if (!byStaff.has(staffId)) {
        byStaff.set(staffId, { staffId, staffName: names.get(staffId) ?? '', salesFen: 0, servicesPerformed: 0, productsSold: 0, topUpFen: 0, countCardsSold: 0, cardsIssued: 0, commissionFen: 0, bookingsServed: n });
      }
    }
    const staff = [...byStaff.values()].sort((a, b) => b.salesFen - a.salesFen || b.commissionFen - a.commissionFen || a.staffName.localeCompare(b.staffName, 'zh-CN'));
    return { from, to, storeId: q.storeId ?? null, staff };
  }

  // ── helpers ───────────────────────────────────────────────────────────────────

  /** Writes the accruals of one sale, booked into the open payroll month of the sale's business day. */
  private async accrue(m: EntityManager, sale: { storeId: string; at: Date; refType: string; refId: string; items: SaleItem[] }): Promise<void> {
    const items = sale.items.filter((i) => i.staffIds.length > 0);
    if (!items.length) return;
    const store = await this.stores.get(sale.storeId);
    const day = businessDay(sale.at, store.timeZone);
    const period = await this.periods.openMonthFor(m, day);
    const rules = await this.repo.rules(m, { active: true });
    const levels = await this.repo.levelsOf(m, [...new Set(items.flatMap((i) => i.staffIds))]);
    const entries: NewEntry[] = [];
    for (const item of items) {
      const staff = item.staffIds.map((staffId) => ({ staffId, levelId: levels.get(staffId) ?? null }));
      for (const a of commissionFor(rules, { source: item.source, targetId: item.targetId, quantity: item.quantity, baseFen: item.baseFen, staff })) {
        entries.push({
          staffId: a.staffId,
          storeId: sale.storeId,
          source: item.source,
          kind: 'accrual',
          refType: sale.refType,
          refId: sale.refId,
          itemRef: item.itemRef,
          targetId: item.targetId,
          accrualId: null,
          reversalRef: null,
          ruleId: a.ruleId,
          levelId: a.levelId,
          quantity: item.quantity,
          baseFen: a.baseFen,
          lineFen: item.baseFen,
          amountFen: a.amountFen,
          period,
          businessDay: day,
        });
      }
    }
    await this.repo.insertEntries(m, entries);
  }

  /**
   * Writes the reversals of a refund: for each refunded item, every accrual on it gives back its
   * cumulative share (domain/commission-rules reversalFor), booked into the open month of today.
   * A refund already reversed (same reversalRef) is skipped.
   */
  private async reverse(m: EntityManager, r: { at: Date; refType: string; reversalRef: string; items: { itemRef: string; quantity: number; lineFen: number }[] }): Promise<void> {
    const accruals = await this.repo.lockAccruals(m, r.refType, r.items.map((i) => i.itemRef));
    if (!accruals.length) return;
    const before = await this.repo.refundedSoFar(m, accruals.map((a) => a.id));
    const entries: NewEntry[] = [];
    const periodOf = new Map<string, { period: string; day: string }>();
    for (const a of accruals) {
      const item = r.items.find((i) => i.itemRef === a.itemRef)!;
      const was = before.get(a.id)!;
      const back = reversalFor({ amountFen: a.amountFen, baseFen: a.baseFen, lineFen: a.lineFen, lineQuantity: a.quantity }, was, { lineFen: item.lineFen, quantity: item.quantity });
      const quantity = Math.min(item.quantity, Math.max(0, a.quantity - was.quantity));
      if (!periodOf.has(a.storeId)) {
        const day = businessDay(r.at, (await this.stores.get(a.storeId)).timeZone);
        periodOf.set(a.storeId, { day, period: await this.periods.openMonthFor(m, day) });
      }
      const { day, period } = periodOf.get(a.storeId)!;
      entries.push({
        staffId: a.staffId,
        storeId: a.storeId,
        source: a.source,
        kind: 'reversal',
        refType: a.refType,
        refId: a.refId,
        itemRef: a.itemRef,
        targetId: a.targetId,
        accrualId: a.id,
        reversalRef: r.reversalRef,
        ruleId: null,
        levelId: null,
        quantity: -quantity || 0,
        baseFen: back.baseFen,
        lineFen: Math.max(0, item.lineFen),
        amountFen: back.amountFen,
        period,
        businessDay: day,
      });
    }
    await this.repo.insertEntries(m, entries);
  }

  /** Reverses every accrual of a sale in full (a top-up refunded). */
  private async reverseWhole(m: EntityManager, refType: string, itemRef: string, reversalRef: string, at: Date): Promise<void> {
    const accruals = await this.repo.lockAccruals(m, refType, [itemRef]);
    if (!accruals.length) return;
    const a = accruals[0];
    await this.reverse(m, { at, refType, reversalRef, items: [{ itemRef, quantity: a.quantity, lineFen: a.lineFen }] });
  }

  private async requireLevel(m: EntityManager, id: string): Promise<StaffLevelEntity> {
    const level = await this.repo.level(m, id);
    if (!level) throw new AppError('STAFF_LEVEL_NOT_FOUND');
    return level;
  }

  private async checkTarget(source: CommissionSource, targetId: string | null): Promise<void> {
    if (!targetId) return;
    if (source === 'top_up' || source === 'card_issue') throw new AppError('COMMISSION_RULE_INVALID', [{ field: 'targetId', errors: [`a ${source} rule names no item`] }]);
    if (source === 'count_card') {
      await this.countCards.getTemplate(targetId);
      return;
    }
    const product = await this.catalog.product(targetId);
    const kind = source === 'service' ? 'service' : 'goods';
    if (product.kind !== kind) throw new AppError('COMMISSION_RULE_INVALID', [{ field: 'targetId', errors: [`a ${source} rule names a ${kind === 'goods' ? 'product (goods)' : 'service'}`] }]);
  }

  /** A write whose unique-index conflicts answer with their own codes. */
  private async unique<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.tx.run(fn);
    } catch (err) {
      if (pgErrorCode(err) === '23505') {
        const c = pgConstraint(err);
        if (c === 'commission_rule_active_unique') throw new AppError('COMMISSION_RULE_DUPLICATE');
        if (c === 'staff_level_name_unique') throw new AppError('STAFF_LEVEL_NAME_TAKEN');
      }
      throw err;
    }
  }
}

function checkFigures(mode: 'fixed' | 'percent', amountFen: number | null, rateBps: number | null): void {
  if (mode === 'fixed' && amountFen === null) throw new AppError('COMMISSION_RULE_INVALID', [{ field: 'amountFen', errors: ['a fixed rule needs amountFen'] }]);
  if (mode === 'percent' && rateBps === null) throw new AppError('COMMISSION_RULE_INVALID', [{ field: 'rateBps', errors: ['a percent rule needs rateBps'] }]);
}

function toLevelResponse(l: StaffLevelEntity): StaffLevelResponse {
  return { id: l.id, name: l.name, rank: l.rank, createdAt: l.createdAt.toISOString() };
}

function toRuleResponse(r: CommissionRuleEntity): CommissionRuleResponse {
  return {
    id: r.id,
    name: r.name,
    source: r.source,
    targetId: r.targetId,
    levelId: r.levelId,
    mode: r.mode,
    amountFen: r.amountFen,
    rateBps: r.rateBps,
    minBaseFen: r.minBaseFen,
    split: r.split,
    active: r.active,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function toEntryResponse(e: EntryRow): CommissionEntryResponse {
  return {
    id: e.id,
    staffId: e.staffId,
    staffName: e.staffName,
    storeId: e.storeId,
    storeName: e.storeName,
    source: e.source,
    kind: e.kind,
    refType: e.refType,
    refId: e.refId,
    itemRef: e.itemRef,
    reversalRef: e.reversalRef,
    ruleId: e.ruleId,
    quantity: e.quantity,
    baseFen: e.baseFen,
    amountFen: e.amountFen,
    period: e.period,
    businessDay: e.businessDay,
    createdAt: e.createdAt.toISOString(),
  };
}
