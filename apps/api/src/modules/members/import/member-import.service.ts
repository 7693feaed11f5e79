import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { Request } from 'express';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import type { StaffActor } from '../../../common/auth/actor';
import { AuditService } from '../../../common/audit/audit.service';
import { TransactionHost } from '../../../common/db/transaction-host';
import { AppError } from '../../../common/errors/app-error';
import type { JsonLogger } from '../../../common/logger';
import { requestContext } from '../../../common/request-context';
import { LedgerService } from '../../ledger/ledger.service';
import { MembersService } from '../members.service';
import { mapHeader, parseImportRow, type ImportRow } from './import-row';
import type { MemberImportEntity } from './member-import.entity';
import { MemberImportRepository } from './member-import.repository';

/** Large enough for 100k+ rows, small enough that a typo'd upload cannot fill the disk. */
export const IMPORT_MAX_BYTES = 200 * 1024 * 1024;
const BATCH = 500;
const XLSX_TYPES = ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];

type RawRecord = Partial<Record<keyof ImportRow, string>>;

/**
 * Member import from a previous system (CSV or XLSX), as an asynchronous job: the upload is
 * streamed to disk, rows are streamed from it (never the whole file in memory), and each batch of
 * rows commits its members, opening balances (ledger entries with reason 'opening_balance') and
 * progress in one transaction. One bad row never stops the others; it is reported with its line.
 */
@Injectable()
export class MemberImportService implements OnApplicationBootstrap, OnModuleDestroy {
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly tx: TransactionHost,
    private readonly imports: MemberImportRepository,
    private readonly members: MembersService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject('LOGGER') private readonly logger: JsonLogger,
  ) {}

  onApplicationBootstrap(): void {
    // Imports left queued or half-done by a stopped process resume where they stopped.
    this.kick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  async upload(actor: StaffActor, req: Request, q: { storeId?: string; fileName?: string }): Promise<MemberImportEntity> {
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const name = (q.fileName ?? '').toLowerCase();
    const format = XLSX_TYPES.includes(type) || name.endsWith('.xlsx') ? 'xlsx' : CSV_TYPES.includes(type) || name.endsWith('.csv') ? 'csv' : null;
    if (!format) throw new AppError('MEMBER_IMPORT_FORMAT');
    const storeId = q.storeId ?? actor.storeIds[0];
    if (!storeId) throw new AppError('VALIDATION_FAILED', [{ field: 'storeId', errors: ['storeId is required for HQ staff'] }]);
    if (!(await this.tx.manager.query('SELECT 1 FROM store WHERE id = $1', [storeId])).length) throw new AppError('STORE_NOT_FOUND');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > IMPORT_MAX_BYTES) throw new AppError('MEMBER_IMPORT_TOO_LARGE');

    const dir = join(this.config.filesDir, 'imports');
    await mkdir(dir, { recursive: true });
    const filePath = join(dir, `${randomUUID()}.${format}`);
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > IMPORT_MAX_BYTES) return done(new AppError('MEMBER_IMPORT_TOO_LARGE'));
        done(null, chunk);
      },
    });
    try {
      await pipeline(req, limit, createWriteStream(filePath));
    } catch (err) {
      await rm(filePath, { force: true });
      throw err instanceof AppError ? err : new AppError('VALIDATION_FAILED', [{ field: 'body', errors: ['upload interrupted'] }]);
    }
    if ((await stat(filePath)).size === 0) {
      await rm(filePath, { force: true });
      throw new AppError('MEMBER_IMPORT_EMPTY');
    }
    const job = await this.tx.run(async (m) => {
      const created = await this.imports.create(m, { format, fileName: q.fileName ?? `import.${format}`, filePath, storeId, createdBy: actor.id, status: 'queued' });
      await this.audit.record(m, { action: 'member-import.create', entityType: 'member_import', entityId: created.id, storeId, after: { format, fileName: created.fileName } });
      return created;
    });
    this.kick();
    return job;
  }

  /** Runs queued imports one after another in this process. */
  kick(): void {
    if (this.running || this.stopping) return;
    this.running = (async () => {
      try {
        for (;;) {
          const [next] = await this.imports.pending(this.tx.dataSource.manager);
          if (!next || this.stopping) break;
          await this.process(next);
        }
      } catch (err) {
        this.logger.write('error', 'member import runner failed', { err: String(err) });
      } finally {
        this.running = null;
      }
    })();
  }

  /** Waits for the runner to go idle (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async process(job: MemberImportEntity): Promise<void> {
    const m = this.tx.dataSource.manager;
    try {
      if (job.rowsTotal === null) await this.imports.setStatus(m, job.id, 'running', null, await this.countRows(job));
      else await this.imports.setStatus(m, job.id, 'running');
      const stores = await this.imports.storeIdsByCode(m);
      let index = 0;
      let batch: { line: number; record: RawRecord }[] = [];
      for await (const item of this.records(job)) {
        if (index++ < job.rowsDone) continue; // committed by an earlier run
        batch.push(item);
        if (batch.length >= BATCH) {
          await this.commitBatch(job, batch, stores);
          batch = [];
          if (this.stopping) return;
        }
      }
      if (batch.length) await this.commitBatch(job, batch, stores);
      await this.imports.setStatus(m, job.id, 'done');
      await rm(job.filePath, { force: true });
    } catch (err) {
      if (this.stopping) return;
      this.logger.write('warn', 'member import failed', { importId: job.id, err: String(err) });
      await this.imports.setStatus(m, job.id, 'failed', '文件无法读取，请检查格式 / the file could not be read');
      await rm(job.filePath, { force: true });
    }
  }

  private async commitBatch(job: MemberImportEntity, batch: { line: number; record: RawRecord }[], stores: Map<string, string>): Promise<void> {
    await requestContext.run({ requestId: `import:${job.id}`, ip: '' }, () =>
      this.tx.run(async (m) => {
        let imported = 0;
        let failed = 0;
        for (const { line, record } of batch) {
          const errors = await this.importOne(m, job, line, record, stores);
          if (errors.length) {
            failed++;
            await this.imports.addError(m, job.id, line, errors);
          } else imported++;
        }
        await this.imports.advance(m, job.id, batch.length, imported, failed);
      }),
    );
  }

  /** One row inside a savepoint: it either fully lands (member + balances + audit) or not at all. */
  private async importOne(m: EntityManager, job: MemberImportEntity, line: number, record: RawRecord, stores: Map<string, string>) {
    const { row, errors } = parseImportRow(record);
    if (!row) return errors;
    const homeStoreId = row.storeCode ? stores.get(row.storeCode.toUpperCase()) : job.storeId;
    if (!homeStoreId) return [{ field: 'storeCode', message: `门店编码 ${row.storeCode} 不存在 / unknown store code` }];
    const idCard = row.idCardNo ? this.members.idCardColumns(row.idCardNo) : { idCardCipher: null, idCardHash: null, idCardMasked: null };
    if (!idCard) return [{ field: 'idCardNo', message: '身份证号无效 / invalid ID-card number' }];
    await m.query('SAVEPOINT import_row');
    try {
      const member = await this.imports.insertMember(m, row, { homeStoreId, registeredBy: job.createdBy, ...idCard });
      if (!member) {
        await m.query('ROLLBACK TO SAVEPOINT import_row');
        return [{ field: row.phone ? 'phone' : 'idCardNo', message: '手机号或身份证号已是会员 / phone or ID card already registered' }];
      }
      const legs = [
        { memberId: member.id, kind: 'wallet_principal' as const, amount: row.principalFen, reason: 'opening_balance' },
        { memberId: member.id, kind: 'wallet_bonus' as const, amount: row.bonusFen, reason: 'opening_balance' },
        { memberId: member.id, kind: 'points' as const, amount: row.points, reason: 'opening_balance' },
      ].filter((l) => l.amount > 0);
      if (legs.length) await this.ledger.post(m, { legs, refType: 'member_import', refId: `${job.id}:${line}`, storeId: homeStoreId });
      await this.audit.record(m, {
        action: 'member.import',
        entityType: 'member',
        entityId: member.id,
        storeId: homeStoreId,
        after: { memberNo: member.memberNo, importId: job.id, line, principalFen: row.principalFen, bonusFen: row.bonusFen, points: row.points },
      });
      await m.query('RELEASE SAVEPOINT import_row');
      return [];
    } catch (err) {
      await m.query('ROLLBACK TO SAVEPOINT import_row');
      return [{ field: 'row', message: err instanceof AppError ? err.code : '无法导入此行 / row could not be imported' }];
    }
  }

  private async countRows(job: MemberImportEntity): Promise<number> {
    let n = 0;
    for await (const _ of this.records(job)) n++;
    return n;
  }

  /** Streams (line, record) pairs from the file; the header row names the columns. */
  private async *records(job: MemberImportEntity): AsyncGenerator<{ line: number; record: RawRecord }> {
    if (job.format === 'csv') {
      const parser = createReadStream(job.filePath).pipe(
        parse({ bom: true, columns: (header: string[]) => header.map((h) => mapHeader(h) ?? `_${h}`), skip_empty_lines: true, relax_column_count: true, trim: true, info: true }),
      );
      for await (const { record, info } of parser as AsyncIterable<{ record: RawRecord; info: { lines: number } }>) yield { line: info.lines, record };
      return;
    }
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(job.filePath), { sharedStrings: 'cache', worksheets: 'emit', hyperlinks: 'ignore', styles: 'ignore' });
    for await (const sheet of reader) {
      let columns: (keyof ImportRow | null)[] | null = null;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const cells = (row.values as unknown[]).slice(1).map(cellText);
        if (!columns) {
          columns = cells.map((c) => mapHeader(c));
          continue;
        }
        if (cells.every((c) => c === '')) continue;
        const record: RawRecord = {};
        columns.forEach((key, i) => {
          if (key) record[key] = cells[i] ?? '';
        });
        yield { line: row.number, record };
      }
      return; // the first sheet only
    }
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { text?: string; result?: unknown; richText?: { text: string }[] };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return String(v.text);
    if (v.result !== undefined) return cellText(v.result);
  }
  return String(value).trim();
}
