import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ProductScope } from '../dto/product-scope.dto';

/** The chain's standing pricing rules (计价规则): one row, edited by HQ, every change audited. */
@Entity('pricing_settings')
@Check('pricing_settings_single_row', `id = 1`)
@Check('pricing_settings_manual_cap_check', `manual_discount_max_bps BETWEEN 0 AND 10000`)
export class PricingSettingsEntity {
  @PrimaryColumn({ type: 'int' }) id!: number;
  /** Members pay a sku's member price (会员价) when it is lower. */
  @Column({ type: 'boolean', name: 'member_price_enabled', default: true }) memberPriceEnabled!: boolean;
  /** Members pay their tier's rate (等级折扣) when it is lower. */
  @Column({ type: 'boolean', name: 'tier_discount_enabled', default: true }) tierDiscountEnabled!: boolean;
  /** The products the tier discount covers (e.g. tobacco excluded). */
  @Column({ type: 'jsonb', name: 'tier_discount_scope', default: () => "'{}'" })
  tierDiscountScope!: ProductScope;
  /** The largest manual discount on a line as a share of it (2000 = 20 %); 0 = none allowed. */
  @Column({ type: 'int', name: 'manual_discount_max_bps', default: 2000 }) manualDiscountMaxBps!: number;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
