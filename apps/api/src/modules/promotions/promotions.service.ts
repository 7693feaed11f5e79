import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import { toScope } from '../pricing/dto/product-scope.dto';
import { promotionProblems } from './domain/promotion-rules';
import type { CreatePromotionRequest, ListPromotionsQuery, PromotionResponse, UpdatePromotionRequest } from './dto/promotion.dto';
import type { FlashSaleTakeEntity, PromotionEntity, ReductionStepRow } from './entities/promotion.entity';
import { PromotionsRepository } from './promotions.repository';

/** A promotion as the pricing engine needs it: the rule, and for a flash sale what is left of it for this member. */
export interface PromotionForPricing {
  promotion: PromotionEntity;
  flashStockLeft: number;
  memberBought: number;
}

export interface FlashSaleTakeInput {
  promotionId: string;
  lineNo: number;
  quantity: number;
  perMemberLimit: number | null;
}

/**
 * Promotions (促销): HQ's member days, full reductions and flash sales, a store's own through
 * store_ids. The pricing engine applies them; this service keeps the rules and the flash sales'
 * own stock and per-member counts, which only conditional UPDATEs move.
 */
@Injectable()
export class PromotionsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: PromotionsRepository,
    private readonly audit: AuditService,
  ) {}

  /** Store staff see the promotions that run at one of their stores (another store's own is its business); HQ sees all. */
  async list(actor: StaffActor, q: ListPromotionsQuery): Promise<Page<PromotionResponse>> {
    const reachableStoreIds = actor.scope === 'chain' ? undefined : actor.storeIds;
    const [rows, total] = await this.repo.list(this.tx.manager, { ...q, reachableStoreIds, offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
    return pageOf(rows.map(toPromotionResponse), total, q);
  }

  async get(actor: StaffActor, id: string): Promise<PromotionResponse> {
    const p = await this.repo.get(this.tx.manager, id);
    const runsHere = p && (actor.scope === 'chain' || p.storeIds.length === 0 || p.storeIds.some((s) => actor.storeIds.includes(s)));
    if (!p || !runsHere) throw new AppError('PROMOTION_NOT_FOUND');
    return toPromotionResponse(p);
  }

  create(input: CreatePromotionRequest): Promise<PromotionResponse> {
    return this.tx.run(async (m) => {
      const p: Partial<PromotionEntity> = {
        name: input.name,
        description: input.description ?? '',
        kind: input.kind,
        status: input.status ?? 'active',
        priority: input.priority ?? 0,
        exclusive: input.exclusive ?? false,
        stackWithCoupons: input.stackWithCoupons ?? true,
        // A member day is for members by definition.
        membersOnly: input.kind === 'member_day' ? true : (input.membersOnly ?? false),
        tierIds: input.tierIds ?? [],
        storeIds: input.storeIds ?? [],
        startsAt: input.startsAt ? new Date(input.startsAt) : null,
        endsAt: input.endsAt ? new Date(input.endsAt) : null,
        dailyStart: input.dailyStart ?? null,
        dailyEnd: input.dailyEnd ?? null,
        weekdays: sortedDays(input.weekdays),
        monthDays: sortedDays(input.monthDays),
        scope: toScope(input.scope),
        discountBps: input.discountBps ?? null,
        reductionMode: input.reductionMode ?? null,
        steps: toSteps(input.steps),
        flashSkuId: input.flashSkuId ?? null,
        flashPriceFen: input.flashPriceFen ?? null,
        flashStock: input.flashStock ?? null,
        flashSold: 0,
        flashPerMemberLimit: input.flashPerMemberLimit ?? null,
      };
      await this.check(m, p as PromotionEntity);
      const after = toPromotionResponse(await this.repo.save(m, p));
      await this.audit.record(m, { action: 'promotion.create', entityType: 'promotion', entityId: after.id, after: { ...after } });
      return after;
    });
  }

  update(id: string, input: UpdatePromotionRequest): Promise<PromotionResponse> {
    return this.tx.run(async (m) => {
      // Locked: a flash sale's stock may not be lowered below what concurrent orders are taking.
      const p = await this.repo.lock(m, id);
      if (!p) throw new AppError('PROMOTION_NOT_FOUND');
      const before = toPromotionResponse(p);
      for (const key of ['name', 'description', 'status', 'priority', 'exclusive', 'stackWithCoupons', 'tierIds', 'storeIds', 'dailyStart', 'dailyEnd', 'discountBps', 'reductionMode', 'flashPriceFen', 'flashPerMemberLimit'] as const) {
        if (input[key] !== undefined) (p as unknown as Record<string, unknown>)[key] = input[key];
      }
      if (input.membersOnly !== undefined) p.membersOnly = p.kind === 'member_day' ? true : input.membersOnly;
      if (input.startsAt !== undefined) p.startsAt = input.startsAt ? new Date(input.startsAt) : null;
      if (input.endsAt !== undefined) p.endsAt = input.endsAt ? new Date(input.endsAt) : null;
      if (input.weekdays !== undefined) p.weekdays = sortedDays(input.weekdays);
      if (input.monthDays !== undefined) p.monthDays = sortedDays(input.monthDays);
      if (input.scope !== undefined) p.scope = toScope(input.scope);
      if (input.steps !== undefined) p.steps = toSteps(input.steps);
      if (input.flashStock !== undefined) {
        if (input.flashStock < p.flashSold) throw new AppError('PROMOTION_FLASH_STOCK_BELOW_SOLD', { flashSold: p.flashSold });
        p.flashStock = input.flashStock;
      }
      await this.check(m, p);
      const after = toPromotionResponse(await this.repo.save(m, p));
      const changes = diff({ ...before, updatedAt: '' }, { ...after, updatedAt: '' });
      await this.audit.record(m, { action: 'promotion.update', entityType: 'promotion', entityId: id, ...changes });
      return after;
    });
  }

  // ── for the pricing engine (in the caller's transaction) ───────────────────

  /** The store's active promotions around `at`, with each flash sale's stock left and what the member bought of it. */
  async forQuote(m: EntityManager, cmd: { storeId: string; memberId: string | null; at: Date }): Promise<PromotionForPricing[]> {
    const rows = await this.repo.forStore(m, cmd.storeId, cmd.at);
    const flash = rows.filter((p) => p.kind === 'flash_sale').map((p) => p.id);
    const bought = cmd.memberId ? await this.repo.memberUnits(m, cmd.memberId, flash) : new Map<string, number>();
    return rows.map((p) => ({ promotion: p, flashStockLeft: p.kind === 'flash_sale' ? Math.max(0, (p.flashStock ?? 0) - p.flashSold) : 0, memberBought: bought.get(p.id) ?? 0 }));
  }

  /**
   * Takes the flash-sale units an order's quote counted on: per promotion (ascending id, the lock
   * order), the stock by a conditional UPDATE, then the member's count against the limit, then one
   * take row per line. Anything short since the quote refuses the whole order.
   */
  async takeFlashSales(m: EntityManager, cmd: { orderId: string; memberId: string | null; storeId: string; takes: FlashSaleTakeInput[] }): Promise<void> {
    const byPromotion = new Map<string, { quantity: number; limit: number | null }>();
    for (const t of cmd.takes) {
      const p = byPromotion.get(t.promotionId) ?? { quantity: 0, limit: t.perMemberLimit };
      p.quantity += t.quantity;
      byPromotion.set(t.promotionId, p);
    }
    for (const [promotionId, { quantity, limit }] of [...byPromotion].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!cmd.memberId && limit !== null) throw new AppError('PROMOTION_FLASH_SALE_LIMIT_REACHED', { promotionId, limit });
      if (!(await this.repo.takeStock(m, promotionId, quantity))) throw new AppError('PROMOTION_FLASH_SALE_SOLD_OUT', { promotionId });
      if (cmd.memberId && !(await this.repo.addMemberUnits(m, promotionId, cmd.memberId, quantity, limit))) {
        throw new AppError('PROMOTION_FLASH_SALE_LIMIT_REACHED', { promotionId, limit });
      }
    }
    await this.repo.insertTakes(
      m,
      cmd.takes.map((t) => ({ promotionId: t.promotionId, orderId: cmd.orderId, lineNo: t.lineNo, memberId: cmd.memberId, storeId: cmd.storeId, quantity: t.quantity })),
    );
  }

  /**
   * Gives flash-sale units back for a refund: all an order still holds, or per line up to the
   * quantity refunded (refunded units count as flash units first). Stock and the member's count
   * go back together, so the member may buy them again.
   */
  async releaseFlashSales(m: EntityManager, cmd: { orderId: string; lines?: { lineNo: number; quantity: number }[] }): Promise<{ promotionId: string; lineNo: number; quantity: number }[]> {
    const takes = await this.repo.lockTakes(m, cmd.orderId);
    const wanted = (t: FlashSaleTakeEntity) => {
      const open = t.quantity - t.releasedQuantity;
      if (!cmd.lines) return open;
      const refunded = cmd.lines.filter((l) => l.lineNo === t.lineNo).reduce((a, l) => a + l.quantity, 0);
      return Math.min(open, refunded);
    };
    const released = takes.map((t) => ({ take: t, n: wanted(t) })).filter((x) => x.n > 0);
    const byPromotion = new Map<string, { n: number; memberId: string | null }[]>();
    for (const { take, n } of released) {
      await this.repo.release(m, take.id, n);
      byPromotion.set(take.promotionId, [...(byPromotion.get(take.promotionId) ?? []), { n, memberId: take.memberId }]);
    }
    for (const [promotionId, parts] of [...byPromotion].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await this.repo.giveBackStock(m, promotionId, parts.reduce((a, p) => a + p.n, 0));
      for (const part of parts) if (part.memberId) await this.repo.giveBackMemberUnits(m, promotionId, part.memberId, part.n);
    }
    return released.map(({ take, n }) => ({ promotionId: take.promotionId, lineNo: take.lineNo, quantity: n }));
  }

  private async check(m: EntityManager, p: PromotionEntity): Promise<void> {
    const problems = promotionProblems(p);
    const missing = await this.repo.missingStores(m, p.storeIds);
    if (missing.length) problems.push({ field: 'storeIds', errors: [`no such store: ${missing.join(', ')}`] });
    if (problems.length) throw new AppError('VALIDATION_FAILED', problems);
  }
}

function sortedDays(days: number[] | undefined): number[] {
  return [...new Set(days ?? [])].sort((a, b) => a - b);
}

function toSteps(steps: { thresholdFen: number; amountOffFen?: number; discountBps?: number }[] | undefined): ReductionStepRow[] {
  return (steps ?? []).map((s) => ({ thresholdFen: s.thresholdFen, amountOffFen: s.amountOffFen ?? null, discountBps: s.discountBps ?? null })).sort((a, b) => a.thresholdFen - b.thresholdFen);
}

export function toPromotionResponse(p: PromotionEntity): PromotionResponse {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    kind: p.kind,
    status: p.status,
    priority: p.priority,
    exclusive: p.exclusive,
    stackWithCoupons: p.stackWithCoupons,
    membersOnly: p.membersOnly,
    tierIds: p.tierIds,
    storeIds: p.storeIds,
    startsAt: p.startsAt ? p.startsAt.toISOString() : null,
    endsAt: p.endsAt ? p.endsAt.toISOString() : null,
    dailyStart: p.dailyStart,
    dailyEnd: p.dailyEnd,
    weekdays: p.weekdays,
    monthDays: p.monthDays,
    scope: toScope(p.scope),
    discountBps: p.discountBps,
    reductionMode: p.reductionMode,
    steps: p.steps,
    flashSkuId: p.flashSkuId,
    flashPriceFen: p.flashPriceFen,
    flashStock: p.flashStock,
    flashSold: p.flashSold,
    flashPerMemberLimit: p.flashPerMemberLimit,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
