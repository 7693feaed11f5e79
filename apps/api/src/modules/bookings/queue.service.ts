import { Injectable } from '@nestjs/common';
import { businessDay, type QueueTicketStatus } from '@chaincard/shared';
import type { MemberActor, StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { CatalogService } from '../catalog/catalog.service';
import { MembersService } from '../members/members.service';
import { StoresService } from '../stores/stores.service';
import type { MyQueueNumberRequest, MyQueueResponse, QueueBoardQuery, QueueBoardResponse, QueueTicketResponse, TakeQueueNumberRequest } from './dto/booking.dto';
import { QueueRepository, type QueueTicketRow } from './queue.repository';

/**
 * The walk-in queue (排队叫号): numbers per store and business day, handed out by one atomic
 * counter; the counter calls the lowest waiting number, then serves it or skips it (过号).
 */
@Injectable()
export class QueueService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: QueueRepository,
    private readonly stores: StoresService,
    private readonly members: MembersService,
    private readonly catalog: CatalogService,
    private readonly audit: AuditService,
  ) {}

  /** Hands out the next number (取号) at the counter. */
  take(storeId: string, input: TakeQueueNumberRequest): Promise<QueueTicketResponse> {
    return this.issue(storeId, { ...input, memberId: input.memberId ?? null });
  }

  /** A member takes a number in the app (e.g. after scanning the store's code). */
  takeAsMember(member: MemberActor, input: MyQueueNumberRequest): Promise<QueueTicketResponse> {
    return this.issue(input.storeId, { ...input, memberId: member.id, customerName: member.name });
  }

  async board(storeId: string, q: QueueBoardQuery): Promise<QueueBoardResponse> {
    const store = await this.stores.get(storeId);
    const day = q.businessDay ?? businessDay(new Date(), store.timeZone);
    const rows = await this.repo.ofDay(this.tx.manager, storeId, day);
    const called = rows.filter((r) => r.calledAt).sort((a, b) => b.calledAt!.getTime() - a.calledAt!.getTime());
    return {
      storeId,
      businessDay: day,
      waitingCount: rows.filter((r) => r.status === 'waiting').length,
      current: called.length ? toResponse(called[0]) : null,
      tickets: rows.map(toResponse),
    };
  }

  /** Calls the lowest waiting number of today (叫号); QUEUE_EMPTY when nobody waits. */
  callNext(actor: StaffActor, storeId: string, staffId: string | undefined): Promise<QueueTicketResponse> {
    return this.tx.run(async (m) => {
      const store = await this.stores.get(storeId);
      const id = await this.repo.callNext(m, storeId, businessDay(new Date(), store.timeZone), { calledBy: actor.id, staffId: staffId ?? null });
      if (!id) throw new AppError('QUEUE_EMPTY');
      const row = (await this.repo.view(m, id))!;
      await this.audit.record(m, { action: 'queue.call', entityType: 'queue_ticket', entityId: id, storeId, after: { number: row.number, staffId: row.staffId } });
      return toResponse(row);
    });
  }

  /** Calls a ticket again (重新叫号): one called, or skipped and back at the counter. */
  recall(actor: StaffActor, ticketId: string): Promise<QueueTicketResponse> {
    return this.move(ticketId, ['called', 'skipped'], 'called', { calledBy: actor.id, recall: true });
  }

  /** The walk-in is being served (开始服务): closes the ticket. */
  serve(ticketId: string, staffId: string | undefined): Promise<QueueTicketResponse> {
    return this.move(ticketId, ['waiting', 'called'], 'served', { staffId: staffId ?? null });
  }

  /** Called but not there (过号). */
  skip(ticketId: string): Promise<QueueTicketResponse> {
    return this.move(ticketId, ['called'], 'skipped');
  }

  cancel(ticketId: string, memberId?: string): Promise<QueueTicketResponse> {
    return this.move(ticketId, ['waiting', 'called'], 'cancelled', {}, memberId);
  }

  async mine(member: MemberActor): Promise<MyQueueResponse> {
    const since = new Date(Date.now() - 36 * 3600_000);
    const rows = await this.repo.ofMember(this.tx.manager, member.id, since);
    // "Today" is each store's own business day.
    const now = new Date();
    return { tickets: rows.filter((r) => r.businessDay === businessDay(now, r.timeZone)).map(toResponse) };
  }

  private issue(storeId: string, input: { memberId: string | null; customerName?: string | null; partySize?: number; skuId?: string; note?: string }): Promise<QueueTicketResponse> {
    return this.tx.run(async (m) => {
      const store = await this.stores.get(storeId);
      if (store.status !== 'open') throw new AppError('BOOKING_STORE_CLOSED', { status: store.status });
      if (input.memberId) {
        const member = await this.members.get(input.memberId);
        if (member.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
      }
      if (input.skuId) await this.catalog.itemsForPricing(m, storeId, [input.skuId]);
      const day = businessDay(new Date(), store.timeZone);
      const number = await this.repo.nextNumber(m, storeId, day);
      const id = await this.repo.insert(m, {
        storeId,
        businessDay: day,
        number,
        memberId: input.memberId,
        customerName: input.customerName ?? null,
        partySize: input.partySize ?? 1,
        skuId: input.skuId ?? null,
        note: input.note ?? '',
      });
      const row = (await this.repo.view(m, id))!;
      await this.audit.record(m, { action: 'queue.take', entityType: 'queue_ticket', entityId: id, storeId, after: { number, businessDay: day, memberId: input.memberId } });
      return toResponse(row);
    });
  }

  private move(ticketId: string, from: QueueTicketStatus[], to: QueueTicketStatus, set: { staffId?: string | null; calledBy?: string; recall?: boolean } = {}, memberId?: string): Promise<QueueTicketResponse> {
    return this.tx.run(async (m) => {
      const before = await this.repo.view(m, ticketId);
      if (!before || (memberId && before.memberId !== memberId)) throw new AppError('QUEUE_TICKET_NOT_FOUND');
      if (!(await this.repo.transition(m, ticketId, from, to, set))) throw new AppError('QUEUE_TICKET_STATUS_INVALID', { status: before.status, to });
      const after = (await this.repo.view(m, ticketId))!;
      await this.audit.record(m, { action: `queue.${to === 'called' ? 'recall' : to}`, entityType: 'queue_ticket', entityId: ticketId, storeId: after.storeId, before: { status: before.status }, after: { status: after.status, staffId: after.staffId } });
      return toResponse(after);
    });
  }
}

function toResponse(r: QueueTicketRow): QueueTicketResponse {
  return {
    id: r.id,
    storeId: r.storeId,
    storeName: r.storeName,
    businessDay: r.businessDay,
    number: r.number,
    label: String(r.number).padStart(3, '0'),
    memberId: r.memberId,
    customerName: r.customerName,
    partySize: r.partySize,
    skuId: r.skuId,
    note: r.note,
    status: r.status,
    callCount: r.callCount,
    calledAt: r.calledAt ? r.calledAt.toISOString() : null,
    staffId: r.staffId,
    staffName: r.staffName,
    closedAt: r.closedAt ? r.closedAt.toISOString() : null,
    aheadCount: r.status === 'waiting' ? r.aheadCount : 0,
    createdAt: r.createdAt.toISOString(),
  };
}
