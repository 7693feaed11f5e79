import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import type { ClientBase, FieldDef } from 'pg';
import { DataSource } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { AppError } from '../../common/errors/app-error';
import { ChainExportRepository, type ExportDataset } from './chain-export.repository';

const BATCH = 2000;
/** pg type ids of int8 and numeric, which arrive as strings. */
const BIG_NUMBERS = new Set([20, 1700]);

type Cell = string | number | boolean | null;

function cellOf(value: unknown, field: FieldDef | undefined): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string' && field && BIG_NUMBERS.has(field.dataTypeID) && Number.isSafeInteger(Number(value))) return Number(value);
  return value as string | number | boolean;
}

function csvField(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes with backpressure; a reader that went away (closed download) stops the export. */
function write(out: Writable, data: string): Promise<void> | void {
  if (out.destroyed) throw new Error('the export stream was closed');
  if (out.write(data)) return;
  return drained(out);
}

function drained(out: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', onError);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('the export stream was closed'));
    const onError = (err: Error) => done(err);
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', onError);
  });
}

/**
 * The whole-chain export (HQ): CSV per dataset or one XLSX with a sheet per dataset, streamed row
 * batch by row batch from a cursor, all datasets of one export read in one REPEATABLE READ
 * snapshot so that balances, ledgers and cards agree with each other.
 */
@Injectable()
export class ChainExportService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ChainExportRepository,
    private readonly audit: AuditService,
  ) {}

  async datasets(): Promise<{ name: string; title: string }[]> {
    return this.inSnapshot(async (c) => (await this.repo.datasets(c)).map((d) => ({ name: d.name, title: d.title })));
  }

  /** Checks the dataset before anything is written, so that an unknown one still gets a clean 400. */
  async prepareCsv(dataset: string): Promise<void> {
    const known = await this.datasets();
    if (!known.some((d) => d.name === dataset)) throw new AppError('CHAIN_EXPORT_DATASET_UNKNOWN', { dataset, known: known.map((d) => d.name) });
  }

  async writeCsv(dataset: string, out: Writable): Promise<{ rows: number }> {
    const rows = await this.inSnapshot(async (c) => {
      const d = (await this.repo.datasets(c)).find((x) => x.name === dataset);
      if (!d) throw new AppError('CHAIN_EXPORT_DATASET_UNKNOWN', { dataset });
      // A byte-order mark, so that Excel opens the UTF-8 (Chinese) text correctly.
      await write(out, '\ufeff' + Object.keys(d.labels).map((n) => csvField(n)).join(',') + '\r\n');
      return this.stream(c, d, async (batch) => {
        await write(out, batch.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n');
      });
    });
    out.end();
    return { rows };
  }

  async writeXlsx(out: Writable): Promise<{ rows: Record<string, number> }> {
    const counts: Record<string, number> = {};
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    await this.inSnapshot(async (c) => {
      for (const d of await this.repo.datasets(c)) {
        const sheet = book.addWorksheet(d.title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
        const names = Object.keys(d.labels);
        sheet.columns = names.map((n) => ({ header: d.labels[n] ? `${d.labels[n]} ${n}` : n, key: n, width: Math.max(10, Math.min(30, n.length + 4)) }));
        counts[d.name] = await this.stream(c, d, async (batch) => {
          for (const r of batch) sheet.addRow(r).commit();
          if (out.writableNeedDrain) await drained(out);
        });
        sheet.commit();
      }
    });
    await book.commit();
    return { rows: counts };
  }

  /** Audits an export: it is all of the chain's member data leaving the system. */
  async recordExport(what: Record<string, unknown>): Promise<void> {
    await this.ds.transaction((m) => this.audit.record(m, { action: 'data.export_chain', entityType: 'chain', entityId: 'chain', after: what }));
  }

  private async stream(c: ClientBase, d: ExportDataset, sink: (rows: Cell[][]) => Promise<void>): Promise<number> {
    const names = Object.keys(d.labels);
    let total = 0;
    await this.repo.openCursor(c, d.sql);
    for (;;) {
      const { rows, fields } = await this.repo.fetch(c, BATCH);
      if (!rows.length) break;
      const byName = new Map(fields.map((f) => [f.name, f]));
      await sink(rows.map((r) => names.map((n) => cellOf(r[n], byName.get(n)))));
      total += rows.length;
      if (rows.length < BATCH) break;
    }
    await this.repo.closeCursor(c);
    return total;
  }

  private async inSnapshot<T>(fn: (c: ClientBase) => Promise<T>): Promise<T> {
    const qr = this.ds.createQueryRunner();
    const c = (await qr.connect()) as ClientBase;
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const result = await fn(c);
      await c.query('COMMIT');
      return result;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await qr.release();
    }
  }
}
