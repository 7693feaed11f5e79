import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page, type PageQuery } from '../../common/http/pagination';
import { JobScheduler } from '../../common/jobs/job-scheduler';
import type { JsonLogger } from '../../common/logger';
import { reconcile, type ReconcileEntry } from './domain/reconcile';
import { parseTradeBill } from './domain/trade-bill';
import type { ReconciliationDetailResponse, ReconciliationResponse } from './dto/wechat-pay.dto';
import type { WechatReconciliationEntity } from './entities/wechat.entity';
import { WECHAT_PAY_GATEWAY, WechatPayError, type WechatPayGateway } from './wechat-pay.gateway';
import { WechatRepository } from './wechat.repository';

/** WeChat's bills are per Beijing day (UTC+8, no daylight saving). */
export function beijingDayRange(day: string): [Date, Date] {
  const from = new Date(`${day}T00:00:00+08:00`);
  return [from, new Date(from.getTime() + 86400_000)];
}

export function beijingDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Daily reconciliation (对账): WeChat's trade bill of a Beijing day against the payments we
 * recorded as paid and the refunds we recorded as succeeded that day. Every payment and refund
 * ends in one bucket: matched, missing on our side, missing on WeChat's, or amount mismatch.
 */
@Injectable()
export class WechatReconcileService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: WechatRepository,
    private readonly audit: AuditService,
    private readonly scheduler: JobScheduler,
    @Inject(WECHAT_PAY_GATEWAY) private readonly gateway: WechatPayGateway | null,
    @Inject('LOGGER') private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    if (!this.gateway) return;
    // WeChat publishes a day's bill from 10:00 the next day (Beijing time; the chain's default zone too).
    this.scheduler.register({ name: 'wechat.reconcile-yesterday', schedule: { daily: '10:30' }, run: (now) => this.run(beijingDay(new Date(now.getTime() - 86400_000)), null) });
  }

  async run(billDate: string, actor: StaffActor | null): Promise<ReconciliationDetailResponse> {
    if (!this.gateway) throw new AppError('WECHAT_NOT_CONFIGURED');
    const [from, to] = beijingDayRange(billDate);
    if (Number.isNaN(from.getTime())) throw new AppError('VALIDATION_FAILED', [{ field: 'billDate', errors: ['billDate must be a date YYYY-MM-DD'] }]);
    if (billDate >= beijingDay(new Date())) throw new AppError('WECHAT_BILL_NOT_READY');
    let csv: string | null = null;
    let error: string | null = null;
    try {
      csv = await this.gateway.tradeBill(billDate);
    } catch (e) {
      error = e instanceof WechatPayError ? `${e.code}: ${e.message}` : String(e instanceof Error ? e.message : e);
      this.logger.write('warn', 'wechat bill download failed', { billDate, err: error });
    }
    const id = await this.tx.run(async (m) => {
      const ours: ReconcileEntry[] = [
        ...(await this.repo.paymentsBetween(m, from, to)).map((p) => ({ kind: 'payment' as const, key: p.outTradeNo, amountFen: p.amountFen, transactionId: p.transactionId })),
        ...(await this.repo.refundsBetween(m, from, to)).map((r) => ({ kind: 'refund' as const, key: r.outRefundNo, amountFen: r.amountFen, transactionId: null })),
      ];
      let wechat: ReconcileEntry[] = [];
      let status: WechatReconciliationEntity['status'] = error ? 'failed' : csv === null ? 'no_bill' : 'done';
      if (csv !== null) {
        try {
          wechat = parseTradeBill(csv).map((row) => ({
            kind: row.kind,
            // A reversal (撤销) of a payment-code payment has no refund number of ours.
            key: row.kind === 'refund' ? row.outRefundNo ?? `${row.outTradeNo}#${row.state}` : row.outTradeNo,
            amountFen: row.amountFen,
            transactionId: row.transactionId,
          }));
        } catch (e) {
          status = 'failed';
          error = `bill: ${e instanceof Error ? e.message : String(e)}`;
        }
      }
      // Without a bill (none, or it could not be read), nothing can be said to be missing at WeChat.
      const items = status === 'failed' ? [] : reconcile(wechat, ours);
      const stores = await this.repo.storesOfNumbers(m, items.filter((i) => i.kind === 'payment').map((i) => i.key), items.filter((i) => i.kind === 'refund').map((i) => i.key));
      const count = (r: string) => items.filter((i) => i.result === r).length;
      const runId = await this.repo.saveReconciliation(
        m,
        { billDate, status, matched: count('matched'), missingOurs: count('missing_ours'), missingWechat: count('missing_wechat'), amountMismatch: count('amount_mismatch'), error, runBy: actor?.id ?? null },
        items.map((i) => ({ kind: i.kind, key: i.key, result: i.result, oursFen: i.oursFen, wechatFen: i.wechatFen, transactionId: i.transactionId, storeId: stores.get(i.key) ?? null })),
      );
      await this.audit.record(m, { action: 'wechat.reconcile', entityType: 'wechat_reconciliation', entityId: runId, after: { billDate, status, matched: count('matched'), missingOurs: count('missing_ours'), missingWechat: count('missing_wechat'), amountMismatch: count('amount_mismatch') } });
      const problems = items.length - count('matched');
      if (problems) this.logger.write('warn', 'wechat reconciliation found differences', { billDate, problems });
      return runId;
    });
    return this.get(id);
  }

  async list(q: PageQuery): Promise<Page<ReconciliationResponse>> {
    const [rows, total] = await this.repo.listReconciliations(this.tx.manager, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(rows.map(toResponse), total, q);
  }

  async get(id: string): Promise<ReconciliationDetailResponse> {
    const m = this.tx.manager;
    const run = await this.repo.reconciliation(m, id);
    if (!run) throw new AppError('WECHAT_RECONCILIATION_NOT_FOUND');
    const items = await this.repo.reconciliationItems(m, id);
    return {
      ...toResponse(run),
      items: items.map((i) => ({ kind: i.kind, key: i.key, result: i.result, oursFen: i.oursFen, wechatFen: i.wechatFen, transactionId: i.transactionId, storeId: i.storeId })),
    };
  }
}

function toResponse(r: WechatReconciliationEntity): ReconciliationResponse {
  return {
    id: r.id,
    billDate: r.billDate,
    status: r.status,
    matched: r.matched,
    missingOurs: r.missingOurs,
    missingWechat: r.missingWechat,
    amountMismatch: r.amountMismatch,
    error: r.error,
    runAt: r.runAt.toISOString(),
  };
}
