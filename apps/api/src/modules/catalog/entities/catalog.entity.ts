import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { StoreEntity } from '../../stores/entities/store.entity';

export const CATALOG_STATUSES = ['active', 'inactive'] as const;
export type CatalogStatus = (typeof CATALOG_STATUSES)[number];

export const PRODUCT_KINDS = ['goods', 'service'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

/** A category (商品分类) of the chain's catalog; a tree through parent_id. */
@Entity('category')
@Index(['parentId', 'sortOrder'])
// Sibling names are unique, top level included (NULLS NOT DISTINCT): hand-written in the migration.
@Index('category_sibling_name_unique', { synchronize: false })
@Check('category_status_check', `status IN ('active', 'inactive')`)
@Check('category_not_own_parent', `parent_id IS NULL OR parent_id <> id`)
export class CategoryEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'parent_id', nullable: true }) parentId!: string | null;
  @ManyToOne(() => CategoryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: CategoryEntity;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'int', name: 'sort_order', default: 0 }) sortOrder!: number;
  @Column({ type: 'text', default: 'active' }) status!: CatalogStatus;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * A product or a service (商品 / 服务项目) of the chain, sold as one or more SKUs. The pinyin
 * columns and the search grams are computed from the name on every save, so that 奶茶, "nc" or
 * "naicha" find 珍珠奶茶 through an indexed query (GIN on search_grams, hand-written in the migration).
 */
@Entity('product')
@Index(['categoryId'])
@Index(['kind', 'status'])
@Index('product_code_unique', ['code'], { unique: true })
@Index('product_search_grams_gin', { synchronize: false })
@Check('product_kind_check', `kind IN ('goods', 'service')`)
@Check('product_status_check', `status IN ('active', 'inactive')`)
@Check('product_duration_check', `(kind = 'service' AND duration_minutes > 0) OR (kind = 'goods' AND duration_minutes IS NULL)`)
export class ProductEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) kind!: ProductKind;
  @Column({ type: 'uuid', name: 'category_id', nullable: true }) categoryId!: string | null;
  @ManyToOne(() => CategoryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'category_id' })
  category?: CategoryEntity;
  /** Optional code, unique: a service's code is what count cards cover (e.g. wash_cut). */
  @Column({ type: 'text', nullable: true }) code!: string | null;
  @Column({ type: 'text', default: '' }) description!: string;
  /** How long a service takes, in minutes (bookings plan with it); null for goods. */
  @Column({ type: 'int', name: 'duration_minutes', nullable: true }) durationMinutes!: number | null;
  @Column({ type: 'text', default: 'active' }) status!: CatalogStatus;
  @Column({ type: 'int', name: 'sort_order', default: 0 }) sortOrder!: number;
  /** First letters of the name's pinyin, lower case (珍珠奶茶 → zznc); ASCII runs kept whole. */
  @Column({ type: 'text', name: 'pinyin_initials', default: '' }) pinyinInitials!: string;
  /** The name's full pinyin without tones or spaces (珍珠奶茶 → zhenzhunaicha). */
  @Column({ type: 'text', name: 'pinyin_full', default: '' }) pinyinFull!: string;
  /** The full pinyin from each syllable on (" zhenzhunaicha zhunaicha naicha cha"): searched as '% term%'. */
  @Column({ type: 'text', name: 'pinyin_search', default: '' }) pinyinSearch!: string;
  /** Characters and adjacent pairs of the name, initials and full pinyin (domain/search-grams.ts). */
  @Column({ type: 'text', array: true, name: 'search_grams', default: () => "'{}'" }) searchGrams!: string[];
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * A sellable unit of a product (规格): its barcode, unit, cost and the chain's prices. A barcode is
 * unique among active SKUs only, so that a retired item's barcode can be given to its successor.
 */
@Entity('sku')
@Index(['productId', 'sortOrder'])
@Index(['barcode'])
@Index('sku_active_barcode_unique', ['barcode'], { unique: true, where: `status = 'active' AND barcode IS NOT NULL` })
@Check('sku_status_check', `status IN ('active', 'inactive')`)
@Check('sku_prices_check', `cost_fen >= 0 AND price_fen >= 0 AND (member_price_fen IS NULL OR member_price_fen BETWEEN 0 AND price_fen)`)
export class SkuEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'product_id' }) productId!: string;
  @ManyToOne(() => ProductEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id' })
  product?: ProductEntity;
  /** The specification (大杯, 500ml); null when the product has a single SKU. */
  @Column({ type: 'text', name: 'spec_name', nullable: true }) specName!: string | null;
  @Column({ type: 'text', nullable: true }) barcode!: string | null;
  @Column({ type: 'text' }) unit!: string;
  @Column({ type: 'bigint', name: 'cost_fen', default: 0 }) costFen!: string;
  @Column({ type: 'bigint', name: 'price_fen' }) priceFen!: string;
  @Column({ type: 'bigint', name: 'member_price_fen', nullable: true }) memberPriceFen!: string | null;
  @Column({ type: 'text', default: 'active' }) status!: CatalogStatus;
  /** Whether stock is kept (goods by default; services and made-to-order drinks not). */
  @Column({ type: 'boolean', name: 'track_stock' }) trackStock!: boolean;
  @Column({ type: 'int', name: 'sort_order', default: 0 }) sortOrder!: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * A store's own prices of a SKU (门店价格), replacing the chain's pair as a whole: a null member
 * price here means no member price at this store.
 */
@Entity('sku_store_price')
@Index(['skuId'])
@Check('sku_store_price_check', `price_fen >= 0 AND (member_price_fen IS NULL OR member_price_fen BETWEEN 0 AND price_fen)`)
export class SkuStorePriceEntity {
  @PrimaryColumn({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @PrimaryColumn({ type: 'uuid', name: 'sku_id' }) skuId!: string;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  @Column({ type: 'bigint', name: 'price_fen' }) priceFen!: string;
  @Column({ type: 'bigint', name: 'member_price_fen', nullable: true }) memberPriceFen!: string | null;
  @Column({ type: 'uuid', name: 'updated_by', nullable: true }) updatedBy!: string | null;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** The chain's catalog settings, one row, edited by HQ and audited. */
@Entity('catalog_settings')
@Check('catalog_settings_single_row', `id = 1`)
export class CatalogSettingsEntity {
  @PrimaryColumn({ type: 'int', default: 1 }) id!: number;
  /** Whether a sale may take a store's stock below zero (负库存销售), e.g. before goods are booked in. */
  @Column({ type: 'boolean', name: 'allow_negative_stock', default: false }) allowNegativeStock!: boolean;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
