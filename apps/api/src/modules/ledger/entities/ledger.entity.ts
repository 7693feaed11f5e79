import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { MemberEntity } from '../../members/entities/member.entity';

/**
 * Kinds of balance a member holds. Each is an account row; its balance moves only by posting
 * ledger entries (see LedgerService). Amounts are fen for wallet kinds, points for `points`,
 * uses for `count_card`.
 */
export const ACCOUNT_KINDS = ['wallet_principal', 'wallet_bonus', 'points', 'count_card'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

@Entity('account')
@Check('account_balance_non_negative', `balance >= 0`)
@Index('account_member_kind_unique', ['memberId', 'kind'], { unique: true, where: 'ref_id IS NULL' })
@Index('account_member_kind_ref_unique', ['memberId', 'kind', 'refId'], { unique: true, where: 'ref_id IS NOT NULL' })
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'text' }) kind!: AccountKind;
  /** For accounts that belong to a thing of the member, e.g. one count card. */
  @Column({ type: 'uuid', name: 'ref_id', nullable: true }) refId!: string | null;
  /** Last line of defence: the CHECK refuses a negative balance even if code had a bug. */
  @Column({ type: 'bigint', default: 0 }) balance!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** Append-only (trigger refuses UPDATE/DELETE/TRUNCATE). Corrections are reversing entries. */
@Entity('ledger_entry')
@Index(['accountId', 'id'])
@Index(['memberId', 'createdAt'])
@Index(['operationId'])
@Index(['storeId', 'createdAt'])
@Check('ledger_entry_amount_non_zero', `amount <> 0`)
@Check('ledger_entry_balance_after_non_negative', `balance_after >= 0`)
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ type: 'uuid', name: 'account_id' }) accountId!: string;
  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'account_id' })
  account?: AccountEntity;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @Column({ type: 'text' }) kind!: AccountKind;
  @Column({ type: 'bigint' }) amount!: string;
  @Column({ type: 'bigint', name: 'balance_after' }) balanceAfter!: string;
  /** Groups the legs of one operation (e.g. the principal and bonus legs of a top-up). */
  @Column({ type: 'uuid', name: 'operation_id' }) operationId!: string;
  /** Business reason: top_up, top_up_bonus, spend, refund, earn, expire, exchange, redeem, … */
  @Column({ type: 'text' }) reason!: string;
  /** The operation that made the entry: ref_type names its table, ref_id its row. */
  @Column({ type: 'text', name: 'ref_type' }) refType!: string;
  @Column({ type: 'text', name: 'ref_id' }) refId!: string;
  /** Where it happened: the collecting store of a top-up, the redeeming store of a spend. */
  @Column({ type: 'uuid', name: 'store_id', nullable: true }) storeId!: string | null;
  @Column({ type: 'text', name: 'operator_kind' }) operatorKind!: string;
  @Column({ type: 'uuid', name: 'operator_id', nullable: true }) operatorId!: string | null;
  @Column({ type: 'text', nullable: true }) memo!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
