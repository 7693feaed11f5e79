import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CommissionMode, CommissionSource, CommissionSplit } from '@chaincard/shared';
import { StaffEntity } from '../../staff/entities/staff.entity';
import { StoreEntity } from '../../stores/entities/store.entity';
import { fenColumn } from '../../wallet/entities/fen-column';

/** A staff level (员工等级, e.g. 初级技师 / 高级技师 / 总监): commission rules may differ by level. */
@Entity('staff_level')
@Index('staff_level_name_unique', ['name'], { unique: true })
export class StaffLevelEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  /** Display order, low to high. */
  @Column({ type: 'int', default: 0 }) rank!: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** The level a staff member is at (one at a time). */
@Entity('staff_level_assignment')
@Index(['levelId'])
export class StaffLevelAssignmentEntity {
  @PrimaryColumn({ type: 'uuid', name: 'staff_id' }) staffId!: string;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @Column({ type: 'uuid', name: 'level_id' }) levelId!: string;
  @ManyToOne(() => StaffLevelEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'level_id' })
  level?: StaffLevelEntity;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * A commission rule (提成规则): what it pays on (source and optionally one item: a product or
 * service, a count-card template), for which staff level (null = any), fixed fen per unit or basis
 * points of the amount, and how several staff on one sale split it. At most one active rule per
 * (source, item, level) — a unique index with NULLS NOT DISTINCT.
 */
@Entity('commission_rule')
@Index('commission_rule_active_unique', { synchronize: false })
@Check('commission_rule_source_check', `source IN ('service', 'product', 'count_card', 'top_up', 'card_issue')`)
@Check('commission_rule_split_check', `split IN ('share', 'each')`)
@Check(
  'commission_rule_mode_check',
  `(mode = 'fixed' AND amount_fen >= 0 AND rate_bps IS NULL) OR (mode = 'percent' AND rate_bps BETWEEN 0 AND 10000 AND amount_fen IS NULL)`,
)
@Check('commission_rule_target_check', `target_id IS NULL OR source IN ('service', 'product', 'count_card')`)
@Check('commission_rule_min_base_check', `min_base_fen >= 0`)
export class CommissionRuleEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) source!: CommissionSource;
  /** A product or service (source service/product) or count-card template (count_card); null = all of the source. */
  @Column({ type: 'uuid', name: 'target_id', nullable: true }) targetId!: string | null;
  @Column({ type: 'uuid', name: 'level_id', nullable: true }) levelId!: string | null;
  @ManyToOne(() => StaffLevelEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'level_id' })
  level?: StaffLevelEntity;
  @Column({ type: 'text' }) mode!: CommissionMode;
  /** fixed: fen per unit sold. */
  @Column({ ...fenColumn, name: 'amount_fen', nullable: true }) amountFen!: number | null;
  /** percent: basis points of the amount sold (500 = 5 %). */
  @Column({ type: 'int', name: 'rate_bps', nullable: true }) rateBps!: number | null;
  /** The rule pays only on sales of at least this amount (e.g. top-ups from 1000 元). */
  @Column({ ...fenColumn, name: 'min_base_fen', default: 0 }) minBaseFen!: number;
  @Column({ type: 'text', default: 'share' }) split!: CommissionSplit;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * The commission ledger (提成流水, append-only). An accrual credits one staff member for one sold
 * item (an order line, a top-up, a count card, a card issued) in the sale's transaction; a refund
 * writes reversals against those accruals. Entries are booked into an open payroll month; a
 * trigger refuses changes and deletes, and entries into a closed month.
 */
@Entity('commission_entry')
@Index(['staffId', 'period'])
@Index(['storeId', 'businessDay'])
@Index(['refType', 'refId'])
@Index('commission_entry_accrual_unique', ['refType', 'itemRef', 'staffId'], { unique: true, where: `kind = 'accrual'` })
@Index('commission_entry_reversal_unique', ['accrualId', 'reversalRef'], { unique: true, where: `kind = 'reversal'` })
@Check('commission_entry_source_check', `source IN ('service', 'product', 'count_card', 'top_up', 'card_issue')`)
@Check(
  'commission_entry_kind_check',
  `(kind = 'accrual' AND accrual_id IS NULL AND reversal_ref IS NULL AND amount_fen >= 0 AND base_fen >= 0 AND quantity >= 0 AND line_fen >= 0)
   OR (kind = 'reversal' AND accrual_id IS NOT NULL AND reversal_ref IS NOT NULL AND amount_fen <= 0 AND base_fen <= 0 AND quantity <= 0 AND line_fen >= 0)`,
)
export class CommissionEntryEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'staff_id' }) staffId!: string;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'text' }) source!: CommissionSource;
  @Column({ type: 'text' }) kind!: 'accrual' | 'reversal';
  /** The sale: 'order', 'wallet_top_up', 'member_count_card', 'card', and its id. */
  @Column({ type: 'text', name: 'ref_type' }) refType!: string;
  @Column({ type: 'text', name: 'ref_id' }) refId!: string;
  /** The item within the sale (an order line; else the sale itself). */
  @Column({ type: 'text', name: 'item_ref' }) itemRef!: string;
  /** What a product, service or card was (the target rules match). */
  @Column({ type: 'uuid', name: 'target_id', nullable: true }) targetId!: string | null;
  @Column({ type: 'uuid', name: 'accrual_id', nullable: true }) accrualId!: string | null;
  @ManyToOne(() => CommissionEntryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'accrual_id' })
  accrual?: CommissionEntryEntity;
  /** The refund that caused a reversal (e.g. an order refund id). */
  @Column({ type: 'text', name: 'reversal_ref', nullable: true }) reversalRef!: string | null;
  @Column({ type: 'uuid', name: 'rule_id', nullable: true }) ruleId!: string | null;
  @Column({ type: 'uuid', name: 'level_id', nullable: true }) levelId!: string | null;
  /** Units: sold (accrual) or refunded (reversal, negative). */
  @Column({ type: 'int' }) quantity!: number;
  /** The staff member's share of the amount sold (signed): sales credited for the performance report. */
  @Column({ ...fenColumn, name: 'base_fen' }) baseFen!: number;
  /** Accrual: the whole item's amount; reversal: the item's amount refunded by that refund. */
  @Column({ ...fenColumn, name: 'line_fen' }) lineFen!: number;
  @Column({ ...fenColumn, name: 'amount_fen' }) amountFen!: number;
  /** The payroll month ('YYYY-MM') it is paid with. */
  @Column({ type: 'text' }) period!: string;
  @Column({ type: 'date', name: 'business_day' }) businessDay!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
