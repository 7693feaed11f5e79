import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/**
 * An asynchronous member import (会员导入). Rows are processed in batches; each batch commits its
 * members, opening balances and `rows_done` together, so a restarted process resumes exactly
 * after the last committed row.
 */
@Entity('member_import')
@Check('member_import_status_check', `status IN ('queued', 'running', 'done', 'failed')`)
@Index(['storeId', 'createdAt'])
export class MemberImportEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) format!: 'csv' | 'xlsx';
  @Column({ type: 'text', name: 'file_name' }) fileName!: string;
  @Column({ type: 'text', name: 'file_path' }) filePath!: string;
  /** Members without a store code in the file get this home store. */
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @Column({ type: 'text', default: 'queued' }) status!: ImportStatus;
  @Column({ type: 'int', name: 'rows_total', nullable: true }) rowsTotal!: number | null;
  @Column({ type: 'int', name: 'rows_done', default: 0 }) rowsDone!: number;
  @Column({ type: 'int', name: 'rows_imported', default: 0 }) rowsImported!: number;
  @Column({ type: 'int', name: 'rows_failed', default: 0 }) rowsFailed!: number;
  @Column({ type: 'text', name: 'failure', nullable: true }) failure!: string | null;
  @Column({ type: 'uuid', name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}

@Entity('member_import_error')
export class MemberImportErrorEntity {
  @PrimaryColumn({ type: 'uuid', name: 'import_id' }) importId!: string;
  /** Line in the file as a person sees it in Excel (header = line 1). */
  @PrimaryColumn({ type: 'int' }) line!: number;
  @Column({ type: 'jsonb' }) errors!: { field: string; message: string }[];
}
