import { Injectable } from '@nestjs/common';
import { businessDay } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf } from '../../common/http/pagination';
import { CatalogService } from '../catalog/catalog.service';
import { MembersService } from '../members/members.service';
import { CheckoutService } from './checkout.service';
import type { CartLineRequest, OrderResponse } from './dto/order.dto';
import type { CancelTicketRequest, ListTicketsQuery, OpenTicketRequest, SettleTicketRequest, TicketPageResponse, TicketResponse, UpdateTicketRequest } from './dto/ticket.dto';
import type { TicketEntity, TicketLineEntity } from './entities/ticket.entity';
import { OrdersRepository, type TicketRow } from './orders.repository';
import { OrdersService } from './orders.service';

/**
 * Open tickets (开单) and parked sales (挂单 / 取单): carts kept on the server for every cashier of
 * the store. A ticket holds no money and no stock: its lines are checked against the catalog when
 * added, and priced, paid and taken from stock only when it is settled through the checkout.
 * Every change locks the ticket row, so a line added while another cashier settles either makes
 * it into the order or is refused (TICKET_NOT_OPEN), and two settlements make exactly one order.
 */
@Injectable()
export class TicketsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: OrdersRepository,
    private readonly catalog: CatalogService,
    private readonly checkout: CheckoutService,
    private readonly orders: OrdersService,
    private readonly members: MembersService,
    private readonly audit: AuditService,
  ) {}

  open(actor: StaffActor, input: OpenTicketRequest): Promise<TicketResponse> {
    return this.tx.run(async (m) => {
      if (input.memberId) await this.activeMember(input.memberId);
      const store = await this.repo.storeHeader(m, input.storeId);
      if (!store) throw new AppError('STORE_NOT_FOUND');
      const ticketNo = `${businessDay(new Date(), store.timeZone).replace(/-/g, '')}${store.code}K${String(await this.repo.nextTicketSeq(m)).padStart(5, '0')}`;
      const ticket = await this.repo.insertTicket(m, {
        ticketNo,
        kind: input.kind ?? 'open',
        status: 'open',
        storeId: input.storeId,
        memberId: input.memberId ?? null,
        label: input.label ?? null,
        couponIds: input.couponIds ?? [],
        pointsToUse: input.pointsToUse ?? 0,
        openedBy: actor.id,
      });
      await this.addLines(m, actor, ticket, input.lines ?? []);
      return this.view(m, ticket.id);
    });
  }

  async list(actor: StaffActor, q: ListTicketsQuery): Promise<TicketPageResponse> {
    const m = this.tx.manager;
    const [rows, total] = await this.repo.listTickets(m, {
      storeIds: actor.scope === 'chain' ? null : actor.storeIds,
      storeId: q.storeId,
      status: q.status ?? 'open',
      kind: q.kind,
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    const lines = await this.repo.ticketLines(m, rows.map((r) => r.id));
    const names = await this.repo.staffNames(m, [...new Set(lines.flatMap((l) => l.servingStaffIds))]);
    return pageOf(
      rows.map((r) => toTicketResponse(r, lines, names)),
      total,
      q,
    );
  }

  get(ticketId: string): Promise<TicketResponse> {
    return this.view(this.tx.manager, ticketId);
  }

  update(ticketId: string, input: UpdateTicketRequest): Promise<TicketResponse> {
    return this.tx.run(async (m) => {
      await this.lockOpen(m, ticketId);
      if (input.memberId) await this.activeMember(input.memberId);
      const patch: Partial<TicketEntity> = {};
      if (input.memberId !== undefined) patch.memberId = input.memberId;
      if (input.label !== undefined) patch.label = input.label;
      if (input.couponIds !== undefined) patch.couponIds = input.couponIds;
      if (input.pointsToUse !== undefined) patch.pointsToUse = input.pointsToUse;
      await this.repo.updateTicket(m, ticketId, patch);
      return this.view(m, ticketId);
    });
  }

  addLine(actor: StaffActor, ticketId: string, input: CartLineRequest): Promise<TicketResponse> {
    return this.tx.run(async (m) => {
      const ticket = await this.lockOpen(m, ticketId);
      await this.addLines(m, actor, ticket, [input]);
      await this.repo.updateTicket(m, ticketId, {});
      return this.view(m, ticketId);
    });
  }

  removeLine(ticketId: string, lineId: string): Promise<TicketResponse> {
    return this.tx.run(async (m) => {
      await this.lockOpen(m, ticketId);
      if (!(await this.repo.deleteTicketLine(m, ticketId, lineId))) throw new AppError('TICKET_LINE_NOT_FOUND');
      await this.repo.updateTicket(m, ticketId, {});
      return this.view(m, ticketId);
    });
  }

  /** 结账: the ticket's cart through the one payment path; the ticket closes with its order. */
  settle(actor: StaffActor, ticketId: string, input: SettleTicketRequest): Promise<OrderResponse> {
    return this.tx.run(async (m) => {
      const ticket = await this.lockOpen(m, ticketId);
      const lines = await this.repo.ticketLines(m, [ticketId]);
      if (!lines.length) throw new AppError('TICKET_EMPTY');
      const orderId = await this.checkout.sale(
        m,
        actor,
        {
          storeId: ticket.storeId,
          memberId: ticket.memberId,
          lines: lines.map((l) => ({
            skuId: l.skuId,
            quantity: l.quantity,
            ...(l.manualDiscountFen !== null ? { manualDiscountFen: l.manualDiscountFen } : {}),
            servingStaffIds: l.servingStaffIds,
          })),
          couponIds: input.couponIds ?? ticket.couponIds,
          pointsToUse: input.pointsToUse ?? ticket.pointsToUse,
        },
        input.payments,
        { expectedTotalFen: input.expectedTotalFen, memo: input.memo ?? null, ticketId },
      );
      await this.repo.updateTicket(m, ticketId, { status: 'settled', orderId, closedBy: actor.id, closedAt: new Date() });
      return this.orders.detailIn(m, orderId);
    });
  }

  /** 取单: a parked cart goes back to the till; the ticket closes and its lines come back to be checked out. */
  resume(actor: StaffActor, ticketId: string): Promise<TicketResponse> {
    return this.tx.run(async (m) => {
      await this.lockOpen(m, ticketId);
      await this.repo.updateTicket(m, ticketId, { status: 'resumed', closedBy: actor.id, closedAt: new Date() });
      return this.view(m, ticketId);
    });
  }

  cancel(actor: StaffActor, ticketId: string, input: CancelTicketRequest): Promise<TicketResponse> {
    return this.tx.run(async (m) => {
      const ticket = await this.lockOpen(m, ticketId);
      await this.repo.updateTicket(m, ticketId, { status: 'cancelled', cancelReason: input.reason, closedBy: actor.id, closedAt: new Date() });
      await this.audit.record(m, { action: 'ticket.cancel', entityType: 'ticket', entityId: ticketId, storeId: ticket.storeId, reason: input.reason, before: { status: 'open' }, after: { status: 'cancelled' } });
      return this.view(m, ticketId);
    });
  }

  private async addLines(m: EntityManager, actor: StaffActor, ticket: TicketEntity, lines: CartLineRequest[]): Promise<void> {
    if (!lines.length) return;
    // The catalog refuses unknown and inactive SKUs; prices are not kept: the settlement re-prices.
    const items = await this.catalog.itemsForPricing(m, ticket.storeId, [...new Set(lines.map((l) => l.skuId))]);
    await this.checkout.checkServingStaff(ticket.storeId, lines.flatMap((l) => l.servingStaffIds ?? []));
    await this.repo.insertTicketLines(
      m,
      lines.map((l) => {
        const item = items.find((i) => i.skuId === l.skuId)!;
        return {
          ticketId: ticket.id,
          skuId: l.skuId,
          name: item.skuName ? `${item.productName} ${item.skuName}` : item.productName,
          quantity: l.quantity,
          manualDiscountFen: l.manualDiscountFen ?? null,
          servingStaffIds: l.servingStaffIds ?? [],
          addedBy: actor.id,
        };
      }),
    );
  }

  private async lockOpen(m: EntityManager, ticketId: string): Promise<TicketEntity> {
    const ticket = await this.repo.lockTicket(m, ticketId);
    if (!ticket) throw new AppError('TICKET_NOT_FOUND');
    if (ticket.status !== 'open') throw new AppError('TICKET_NOT_OPEN', { status: ticket.status, orderId: ticket.orderId });
    return ticket;
  }

  private async activeMember(memberId: string): Promise<void> {
    const member = await this.members.get(memberId);
    if (member.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
  }

  private async view(m: EntityManager, ticketId: string): Promise<TicketResponse> {
    const row = await this.repo.ticketRow(m, ticketId);
    if (!row) throw new AppError('TICKET_NOT_FOUND');
    const lines = await this.repo.ticketLines(m, [ticketId]);
    const names = await this.repo.staffNames(m, [...new Set(lines.flatMap((l) => l.servingStaffIds))]);
    return toTicketResponse(row, lines, names);
  }
}

function toTicketResponse(t: TicketRow, lines: TicketLineEntity[], names: Map<string, string>): TicketResponse {
  return {
    id: t.id,
    ticketNo: t.ticketNo,
    kind: t.kind,
    status: t.status,
    storeId: t.storeId,
    memberId: t.memberId,
    memberName: t.memberName,
    label: t.label,
    couponIds: t.couponIds,
    pointsToUse: t.pointsToUse,
    lines: lines
      .filter((l) => l.ticketId === t.id)
      .map((l) => ({
        id: l.id,
        skuId: l.skuId,
        name: l.name,
        quantity: l.quantity,
        manualDiscountFen: l.manualDiscountFen,
        servingStaff: l.servingStaffIds.map((id) => ({ id, name: names.get(id) ?? '' })),
        addedBy: l.addedBy,
        createdAt: l.createdAt.toISOString(),
      })),
    openedBy: t.openedBy,
    openedByName: t.openedByName,
    orderId: t.orderId,
    cancelReason: t.cancelReason,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    closedAt: t.closedAt ? t.closedAt.toISOString() : null,
  };
}
