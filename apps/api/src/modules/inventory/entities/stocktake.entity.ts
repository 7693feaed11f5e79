import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { SkuEntity } from '../../catalog/entities/catalog.entity';
import { StoreEntity } from '../../stores/entities/store.entity';

export const STOCKTAKE_SCOPES = ['full', 'categories'] as const;
export type StocktakeScope = (typeof STOCKTAKE_SCOPES)[number];
export const STOCKTAKE_STATUSES = ['open', 'posted', 'cancelled'] as const;
export type StocktakeStatus = (typeof STOCKTAKE_STATUSES)[number];
export const UNCOUNTED_RULES = ['ignore', 'zero'] as const;
export type UncountedRule = (typeof UNCOUNTED_RULES)[number];

/** A stocktake (盘点) of a store, full or of some categories: snapshot at start, counts, variance, posting. */
@Entity('stocktake')
@Index('stocktake_no_unique', ['no'], { unique: true })
@Index(['storeId', 'createdAt'])
// One open stocktake per store: hand-written partial unique index (stocktake_one_open_per_store).
@Index('stocktake_one_open_per_store', ['storeId'], { unique: true, where: `status = 'open'` })
@Check('stocktake_scope_check', `scope IN ('full', 'categories') AND (scope = 'full') = (cardinality(category_ids) = 0)`)
@Check('stocktake_status_check', `status IN ('open', 'posted', 'cancelled')`)
@Check('stocktake_uncounted_check', `uncounted IS NULL OR uncounted IN ('ignore', 'zero')`)
export class StocktakeEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) no!: string;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'text' }) scope!: StocktakeScope;
  /** The categories counted (with every category below them); empty for a full stocktake. */
  @Column({ type: 'uuid', array: true, name: 'category_ids', default: () => "'{}'" }) categoryIds!: string[];
  @Column({ type: 'text', default: 'open' }) status!: StocktakeStatus;
  @Column({ type: 'text', default: '' }) note!: string;
  @Column({ type: 'uuid', name: 'started_by', nullable: true }) startedBy!: string | null;
  @Column({ type: 'uuid', name: 'closed_by', nullable: true }) closedBy!: string | null;
  /** Posted or cancelled at. */
  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true }) closedAt!: Date | null;
  /** What posting did with lines nobody counted: left as they are, or counted as none found. */
  @Column({ type: 'text', nullable: true }) uncounted!: UncountedRule | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * A SKU of a stocktake: its quantity and cost at the snapshot; the quantity counted and what the
 * ledger held when it was last counted (expected); on posting, the adjustment made and its cost.
 */
@Entity('stocktake_line')
@Check('stocktake_line_counted', `counted_quantity IS NULL OR (counted_quantity >= 0 AND expected_quantity IS NOT NULL AND counted_at IS NOT NULL)`)
export class StocktakeLineEntity {
  @PrimaryColumn({ type: 'uuid', name: 'stocktake_id' }) stocktakeId!: string;
  @ManyToOne(() => StocktakeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'stocktake_id' })
  stocktake?: StocktakeEntity;
  @PrimaryColumn({ type: 'uuid', name: 'sku_id' }) skuId!: string;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  @Column({ type: 'int', name: 'snapshot_quantity' }) snapshotQuantity!: number;
  @Column({ type: 'bigint', name: 'snapshot_cost_fen' }) snapshotCostFen!: string;
  @Column({ type: 'int', name: 'counted_quantity', nullable: true }) countedQuantity!: number | null;
  /** The ledger's quantity when the line was last counted: snapshot + every movement since, up to then. */
  @Column({ type: 'int', name: 'expected_quantity', nullable: true }) expectedQuantity!: number | null;
  @Column({ type: 'timestamptz', name: 'counted_at', nullable: true }) countedAt!: Date | null;
  @Column({ type: 'int', name: 'posted_delta', nullable: true }) postedDelta!: number | null;
  @Column({ type: 'bigint', name: 'posted_cost_fen', nullable: true }) postedCostFen!: string | null;
}

/** Every count entered (by hand or a batch of scans), in order: who counted what, when, against what. */
@Entity('stocktake_count')
@Index(['stocktakeId', 'skuId', 'id'])
@Check('stocktake_count_mode', `mode IN ('add', 'set')`)
export class StocktakeCountEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ type: 'uuid', name: 'stocktake_id' }) stocktakeId!: string;
  @ManyToOne(() => StocktakeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'stocktake_id' })
  stocktake?: StocktakeEntity;
  @Column({ type: 'uuid', name: 'sku_id' }) skuId!: string;
  @Column({ type: 'text' }) mode!: 'add' | 'set';
  @Column({ type: 'int' }) quantity!: number;
  @Column({ type: 'int', name: 'counted_after' }) countedAfter!: number;
  @Column({ type: 'int', name: 'expected_quantity' }) expectedQuantity!: number;
  @Column({ type: 'uuid', name: 'staff_id', nullable: true }) staffId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
