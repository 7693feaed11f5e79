import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page, type PageQuery } from '../../common/http/pagination';
import { CatalogService } from '../catalog/catalog.service';
import { StockService } from '../catalog/stock.service';
import { MembersService } from '../members/members.service';
import { PointsService } from '../points/points.service';
import { ShiftsService } from '../shifts/shifts.service';
import { newPickupCode } from './domain/pickup-code';
import type {
  AdjustStockRequest,
  CreateGiftRequest,
  GiftResponse,
  GiftStockResponse,
  ListGiftsQuery,
  ListRedemptionsQuery,
  RedemptionResponse,
  SetStockRequest,
  StaffRedemptionRequest,
  StockMovementResponse,
  UpdateGiftRequest,
} from './dto/mall.dto';
import type { CashPaymentMethod, GiftEntity } from './entities/mall.entity';
import { MallRepository, type GiftRow, type RedemptionRow } from './mall.repository';

/**
 * The points mall (积分商城): HQ's gifts, each store's stock of them, and redemptions picked up
 * at a store with a pickup code. Points move only through PointsService (ledger + lots), stock only
 * through a conditional UPDATE plus a gift_stock_movement row, both in the redemption's transaction.
 * A gift linked to a catalog SKU uses the stock ledger instead (StockService, `gift_redemption`),
 * so its stock is bought, transferred and counted with inventory like any goods.
 *
 * Lock order (shared with PointsService): mall_redemption row → gift_stock row → member points.
 */
@Injectable()
export class MallService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: MallRepository,
    private readonly points: PointsService,
    private readonly members: MembersService,
    private readonly audit: AuditService,
    private readonly shifts: ShiftsService,
    private readonly catalog: CatalogService,
    private readonly stock: StockService,
  ) {}

  // ---- gifts (HQ) ----

  async listGifts(q: ListGiftsQuery): Promise<Page<GiftResponse>> {
    const [rows, total] = await this.repo.listGifts(this.tx.manager, { ...q, offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
    if (q.storeId) {
      const levels = await this.stock.levels(this.tx.manager, q.storeId, rows.filter((g) => g.skuId).map((g) => g.skuId!));
      for (const g of rows) if (g.skuId) g.stock = levels.get(g.skuId)?.quantity ?? 0;
    }
    return pageOf(rows.map(toGiftResponse), total, q);
  }

  /** The member app's catalogue: gifts on sale only. */
  async listGiftsForMember(q: ListGiftsQuery): Promise<Page<GiftResponse>> {
    if (q.storeId && !(await this.repo.storeExists(this.tx.manager, q.storeId))) throw new AppError('STORE_NOT_FOUND');
    return this.listGifts(Object.assign(q, { status: 'on_sale' as const }));
  }

  async gift(giftId: string, storeId?: string): Promise<GiftResponse> {
    const gift = await this.repo.findGift(this.tx.manager, giftId);
    if (!gift) throw new AppError('MALL_GIFT_NOT_FOUND');
    return toGiftResponse({ ...gift, stock: storeId ? await this.stockOf(this.tx.manager, gift, storeId) : null });
  }

  createGift(input: CreateGiftRequest): Promise<GiftResponse> {
    return this.tx.run(async (m) => {
      const cashFen = input.cashFen ?? 0;
      if (input.pointsPrice + cashFen === 0) throw new AppError('VALIDATION_FAILED', [{ field: 'pointsPrice', errors: ['a gift costs points, cash or both'] }]);
      const gift = await this.repo.saveGift(m, {
        name: input.name,
        description: input.description ?? '',
        imageUrl: input.imageUrl ?? null,
        category: input.category ?? '',
        pointsPrice: String(input.pointsPrice),
        cashFen: String(cashFen),
        status: input.status ?? 'on_sale',
        perMemberLimit: input.perMemberLimit ?? null,
        sortOrder: input.sortOrder ?? 0,
        skuId: input.skuId ? await this.requireStockedSku(m, input.skuId) : null,
      });
      const after = toGiftResponse({ ...gift, stock: null });
      await this.audit.record(m, { action: 'mall.gift.create', entityType: 'gift', entityId: gift.id, after: { ...after } });
      return after;
    });
  }

  updateGift(giftId: string, input: UpdateGiftRequest): Promise<GiftResponse> {
    return this.tx.run(async (m) => {
      const gift = await this.repo.findGift(m, giftId);
      if (!gift) throw new AppError('MALL_GIFT_NOT_FOUND');
      const before = toGiftResponse({ ...gift, stock: null });
      for (const key of ['name', 'description', 'imageUrl', 'category', 'status', 'perMemberLimit', 'sortOrder'] as const) {
        if (input[key] !== undefined) (gift as unknown as Record<string, unknown>)[key] = input[key];
      }
      if (input.skuId !== undefined && input.skuId !== gift.skuId) {
        // Linking with own stock left would strand it: it is counted out (set to 0) first.
        if (input.skuId !== null && (await this.repo.ownStockHeld(m, giftId)) > 0) throw new AppError('MALL_GIFT_HAS_OWN_STOCK');
        gift.skuId = input.skuId === null ? null : await this.requireStockedSku(m, input.skuId);
      }
      if (input.pointsPrice !== undefined) gift.pointsPrice = String(input.pointsPrice);
      if (input.cashFen !== undefined) gift.cashFen = String(input.cashFen);
      if (Number(gift.pointsPrice) + Number(gift.cashFen) === 0) throw new AppError('VALIDATION_FAILED', [{ field: 'pointsPrice', errors: ['a gift costs points, cash or both'] }]);
      const after = toGiftResponse({ ...(await this.repo.saveGift(m, gift)), stock: null });
      await this.audit.record(m, { action: 'mall.gift.update', entityType: 'gift', entityId: giftId, ...diff(before, after) });
      return after;
    });
  }

  // ---- stock (HQ or the store's manager) ----

  /** The store's gift stock: gifts with their own stock, and gifts that use a catalog SKU's (from the stock ledger). */
  async storeStock(storeId: string): Promise<GiftStockResponse[]> {
    const m = this.tx.manager;
    const own = (await this.repo.storeStock(m, storeId)).map((s) => ({ ...s, updatedAt: s.updatedAt.toISOString() }));
    const linked = await this.repo.linkedGifts(m);
    const [rows] = linked.length ? await this.stock.page(m, storeId, { skuIds: linked.map((g) => g.skuId) }, 0, linked.length) : [[]];
    const bySku = new Map(rows.map((r) => [r.skuId, r]));
    return [
      ...own,
      ...linked.map((g) => ({ giftId: g.giftId, giftName: g.giftName, storeId, quantity: bySku.get(g.skuId)?.quantity ?? 0, updatedAt: (bySku.get(g.skuId)?.updatedAt ?? new Date(0)).toISOString() })),
    ];
  }

  async movements(storeId: string, giftId: string, q: PageQuery): Promise<Page<StockMovementResponse>> {
    await this.requireGift(this.tx.manager, giftId);
    const [rows, total] = await this.repo.movements(this.tx.manager, giftId, storeId, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })), total, q);
  }

  /** Sets the counted quantity (盘点): recorded as the movement from the old quantity to the new one. */
  setStock(actor: StaffActor, storeId: string, giftId: string, input: SetStockRequest): Promise<GiftStockResponse> {
    return this.tx.run(async (m) => {
      const gift = await this.requireOwnStock(m, giftId);
      const current = await this.repo.lockStock(m, giftId, storeId);
      const delta = input.quantity - current;
      if (delta !== 0) {
        await this.repo.moveStock(m, giftId, storeId, delta);
        await this.repo.insertMovement(m, { giftId, storeId, delta, quantityAfter: input.quantity, reason: 'set', note: input.note, operatorKind: 'staff', operatorId: actor.id });
        await this.audit.record(m, { action: 'mall.stock.set', entityType: 'gift_stock', entityId: giftId, storeId, before: { quantity: current }, after: { quantity: input.quantity }, reason: input.note ?? null });
      }
      return { giftId, giftName: gift.name, storeId, quantity: input.quantity, updatedAt: new Date().toISOString() };
    });
  }

  adjustStock(actor: StaffActor, storeId: string, giftId: string, input: AdjustStockRequest): Promise<GiftStockResponse> {
    return this.tx.run(async (m) => {
      const gift = await this.requireOwnStock(m, giftId);
      const before = await this.repo.lockStock(m, giftId, storeId);
      const after = await this.repo.moveStock(m, giftId, storeId, input.delta);
      if (after === null) throw new AppError('MALL_STOCK_INSUFFICIENT', { quantity: before, delta: input.delta });
      await this.repo.insertMovement(m, { giftId, storeId, delta: input.delta, quantityAfter: after, reason: 'adjust', note: input.note, operatorKind: 'staff', operatorId: actor.id });
      await this.audit.record(m, { action: 'mall.stock.adjust', entityType: 'gift_stock', entityId: giftId, storeId, before: { quantity: before }, after: { quantity: after }, reason: input.note });
      return { giftId, giftName: gift.name, storeId, quantity: after, updatedAt: new Date().toISOString() };
    });
  }

  // ---- redemptions ----

  /** The member redeems in the app: points-only gifts (a cash part is paid at the counter). */
  redeemAsMember(actor: Actor, input: { giftId: string; storeId: string }): Promise<RedemptionResponse> {
    return this.redeem(actor, actor.id, { ...input, paymentMethod: null }, false);
  }

  /** Staff redeem for a member at the counter, taking the cash part by cash or bank card. */
  redeemAtCounter(actor: StaffActor, memberId: string, input: StaffRedemptionRequest): Promise<RedemptionResponse> {
    return this.redeem(actor, memberId, { giftId: input.giftId, storeId: input.storeId, paymentMethod: input.paymentMethod ?? null }, true);
  }

  private redeem(
    actor: Actor,
    memberId: string,
    input: { giftId: string; storeId: string; paymentMethod: CashPaymentMethod | null },
    atCounter: boolean,
  ): Promise<RedemptionResponse> {
    return this.tx.run(async (m) => {
      const gift = await this.requireGift(m, input.giftId);
      if (gift.status !== 'on_sale') throw new AppError('MALL_GIFT_OFF_SALE');
      const cashFen = Number(gift.cashFen);
      const pointsPrice = Number(gift.pointsPrice);
      if (cashFen > 0 && !atCounter) throw new AppError('MALL_GIFT_NEEDS_PAYMENT', { cashFen });
      if (cashFen > 0 && !input.paymentMethod) throw new AppError('MALL_PAYMENT_METHOD_REQUIRED', { field: 'paymentMethod' });
      if (!(await this.repo.storeExists(m, input.storeId))) throw new AppError('STORE_NOT_FOUND');
      // The cash part is money taken at the counter: a taking of the cashier's open shift.
      const take = cashFen > 0 && actor.kind === 'staff' ? await this.shifts.takeAtCounter(m, actor, input.storeId) : null;
      const member = await this.members.get(memberId);
      if (member.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');

      const id = randomUUID();
      const stockAfter = gift.skuId ? await this.takeFromLedger(m, gift.skuId, input.storeId, id) : await this.repo.moveStock(m, gift.id, input.storeId, -1);
      if (stockAfter === null) throw new AppError('MALL_STOCK_INSUFFICIENT');
      // Under the member's points lock, so that parallel redemptions of one member count each other.
      await this.points.lockMember(m, memberId);
      if (gift.perMemberLimit !== null && (await this.repo.activeRedemptions(m, memberId, gift.id)) >= gift.perMemberLimit) {
        throw new AppError('MALL_LIMIT_REACHED', { limit: gift.perMemberLimit });
      }
      if (pointsPrice > 0) {
        await this.points.debit(m, { memberId, storeId: input.storeId, points: pointsPrice, reason: 'redeem', refType: 'mall_redemption', refId: id, memo: gift.name });
      }
      let pickupCode = newPickupCode();
      while (
        !(await this.repo.insertRedemption(m, {
          id,
          memberId,
          giftId: gift.id,
          storeId: input.storeId,
          points: String(pointsPrice),
          cashFen: String(cashFen),
          paymentMethod: cashFen > 0 ? input.paymentMethod : null,
          pickupCode,
          createdByKind: actor.kind,
          createdById: actor.id,
          skuId: gift.skuId,
        }))
      ) {
        pickupCode = newPickupCode();
      }
      if (!gift.skuId) await this.repo.insertMovement(m, {
        giftId: gift.id,
        storeId: input.storeId,
        delta: -1,
        quantityAfter: stockAfter,
        reason: 'redeem',
        refType: 'mall_redemption',
        refId: id,
        operatorKind: actor.kind,
        operatorId: actor.id,
      });
      if (take && input.paymentMethod) await take(input.paymentMethod, cashFen, 'mall_redemption', id);
      const created = (await this.repo.findRedemption(m, id))!;
      const after = toRedemptionResponse(created, true);
      await this.audit.record(m, { action: 'mall.redeem', entityType: 'mall_redemption', entityId: id, storeId: input.storeId, after: { ...after, pickupCode: undefined } });
      return after;
    });
  }

  /** 核销: staff of the store hand the gift over against the member's pickup code. */
  pickup(actor: StaffActor, input: { storeId: string; code: string }): Promise<RedemptionResponse> {
    return this.tx.run(async (m) => {
      const id = await this.repo.fulfil(m, input.storeId, input.code, actor.id);
      if (!id) throw new AppError('MALL_REDEMPTION_NOT_FOUND');
      const r = (await this.repo.findRedemption(m, id))!;
      await this.audit.record(m, { action: 'mall.pickup', entityType: 'mall_redemption', entityId: id, storeId: r.storeId, before: { status: 'pending' }, after: { status: 'fulfilled' } });
      return toRedemptionResponse(r, false);
    });
  }

  /**
   * Cancels an open redemption: the points return to the lots they came from and the gift to the
   * store's stock. A member cancels his own points-only redemptions in the app; staff cancel any
   * of their store's (and return a cash part at the counter).
   */
  cancel(actor: Actor, redemptionId: string, reason: string | null): Promise<RedemptionResponse> {
    return this.tx.run(async (m) => {
      const ownerId = actor.kind === 'member' ? actor.id : null;
      const found = await this.repo.findRedemption(m, redemptionId, ownerId ?? undefined);
      if (!found) throw new AppError('MALL_REDEMPTION_NOT_FOUND');
      if (actor.kind === 'member' && Number(found.cashFen) > 0) throw new AppError('MALL_CANCEL_AT_COUNTER');
      // The cash part goes back out of the drawer of whoever cancels at the counter.
      const take = actor.kind === 'staff' && Number(found.cashFen) > 0 ? await this.shifts.takeAtCounter(m, actor, found.storeId) : null;
      if (!(await this.repo.cancel(m, redemptionId, ownerId, { kind: actor.kind, id: actor.id }, reason))) throw new AppError('MALL_REDEMPTION_NOT_PENDING');
      if (found.skuId) {
        // Back to the ledger it came from, whatever the gift is linked to now.
        await this.stock.apply(m, [{ storeId: found.storeId, skuId: found.skuId, delta: 1, reason: 'gift_redemption_cancel', refType: 'mall_redemption', refId: redemptionId }]);
      } else {
        await this.repo.lockStock(m, found.giftId, found.storeId);
        const stockAfter = (await this.repo.moveStock(m, found.giftId, found.storeId, 1))!;
        await this.repo.insertMovement(m, {
          giftId: found.giftId,
          storeId: found.storeId,
          delta: 1,
          quantityAfter: stockAfter,
          reason: 'cancel',
          refType: 'mall_redemption',
          refId: redemptionId,
          operatorKind: actor.kind,
          operatorId: actor.id,
        });
      }
      const returned = await this.points.restore(m, { memberId: found.memberId, storeId: found.storeId, refType: 'mall_redemption', refId: redemptionId, reason: 'redeem_cancel' });
      if (take && found.paymentMethod) await take(found.paymentMethod, -Number(found.cashFen), 'mall_redemption_cancel', redemptionId);
      const r = (await this.repo.findRedemption(m, redemptionId))!;
      await this.audit.record(m, {
        action: 'mall.cancel',
        entityType: 'mall_redemption',
        entityId: redemptionId,
        storeId: r.storeId,
        before: { status: 'pending' },
        after: { status: 'cancelled', pointsReturned: returned, cashFenToReturn: Number(r.cashFen) },
        reason,
      });
      return toRedemptionResponse(r, actor.kind === 'member');
    });
  }

  async redemption(redemptionId: string): Promise<RedemptionResponse> {
    const r = await this.repo.findRedemption(this.tx.manager, redemptionId);
    if (!r) throw new AppError('MALL_REDEMPTION_NOT_FOUND');
    return toRedemptionResponse(r, false);
  }

  async storeRedemptions(storeId: string, q: ListRedemptionsQuery): Promise<Page<RedemptionResponse>> {
    const [rows, total] = await this.repo.listRedemptions(this.tx.manager, { storeId, memberId: q.memberId, status: q.status, offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
    return pageOf(rows.map((r) => toRedemptionResponse(r, false)), total, q);
  }

  async myRedemptions(memberId: string, q: ListRedemptionsQuery): Promise<Page<RedemptionResponse>> {
    const [rows, total] = await this.repo.listRedemptions(this.tx.manager, { memberId, status: q.status, offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
    return pageOf(rows.map((r) => toRedemptionResponse(r, true)), total, q);
  }

  private async requireGift(m: EntityManager, giftId: string): Promise<GiftEntity> {
    const gift = await this.repo.findGift(m, giftId);
    if (!gift) throw new AppError('MALL_GIFT_NOT_FOUND');
    return gift;
  }

  /** A gift whose stock is its own: a linked gift's stock is the catalog's, moved with inventory. */
  private async requireOwnStock(m: EntityManager, giftId: string): Promise<GiftEntity> {
    const gift = await this.requireGift(m, giftId);
    if (gift.skuId) throw new AppError('MALL_GIFT_STOCK_IN_INVENTORY', { skuId: gift.skuId });
    return gift;
  }

  private async requireStockedSku(m: EntityManager, skuId: string): Promise<string> {
    const sku = (await this.catalog.skuLabels(m, [skuId])).get(skuId);
    if (!sku) throw new AppError('CATALOG_SKU_NOT_FOUND', { skuIds: [skuId] });
    if (!sku.trackStock) throw new AppError('STOCK_NOT_TRACKED', { skuIds: [skuId] });
    return skuId;
  }

  private async stockOf(m: EntityManager, gift: GiftEntity, storeId: string): Promise<number> {
    if (!gift.skuId) return this.repo.stockOf(m, gift.id, storeId);
    return (await this.stock.levels(m, storeId, [gift.skuId])).get(gift.skuId)?.quantity ?? 0;
  }

  /**
   * One unit of a linked gift out of the store's stock ledger, never below zero (strict, whatever
   * the negative-stock setting of sales). The stock row's lock serialises redemptions with sales.
   */
  private async takeFromLedger(m: EntityManager, skuId: string, storeId: string, redemptionId: string): Promise<number | null> {
    try {
      const [applied] = await this.stock.apply(m, [{ storeId, skuId, delta: -1, reason: 'gift_redemption', refType: 'mall_redemption', refId: redemptionId, strict: true }]);
      return applied?.quantityAfter ?? null;
    } catch (err) {
      if (err instanceof AppError && err.code === 'STOCK_INSUFFICIENT') return null;
      throw err;
    }
  }
}

function toGiftResponse(g: GiftRow): GiftResponse {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    imageUrl: g.imageUrl,
    category: g.category,
    pointsPrice: Number(g.pointsPrice),
    cashFen: Number(g.cashFen),
    status: g.status,
    perMemberLimit: g.perMemberLimit,
    sortOrder: g.sortOrder,
    stock: g.stock,
    skuId: g.skuId,
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
  };
}

/**
 * The pickup code is the member's proof of the redemption: shown to the member and once to the
 * staff who redeemed at the counter (to print), never in staff lists, so that a gift is handed
 * over only to whoever holds the code.
 */
function toRedemptionResponse(r: RedemptionRow, showCode: boolean): RedemptionResponse {
  return {
    id: r.id,
    memberId: r.memberId,
    giftId: r.giftId,
    giftName: r.giftName,
    storeId: r.storeId,
    points: Number(r.points),
    cashFen: Number(r.cashFen),
    paymentMethod: r.paymentMethod,
    pickupCode: showCode ? r.pickupCode : null,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    fulfilledAt: r.fulfilledAt ? r.fulfilledAt.toISOString() : null,
    cancelledAt: r.cancelledAt ? r.cancelledAt.toISOString() : null,
    cancelReason: r.cancelReason,
  };
}
