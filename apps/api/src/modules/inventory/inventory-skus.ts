import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { CatalogService, type SkuLabelRow } from '../catalog/catalog.service';
import type { SkuLabel } from './dto/common.dto';

/** Inventory's view of the catalog: which SKUs a document may hold, and how documents name them. */
@Injectable()
export class InventorySkus {
  constructor(private readonly catalog: CatalogService) {}

  /**
   * The SKUs of a new document: they exist (CATALOG_SKU_NOT_FOUND) and keep stock
   * (STOCK_NOT_TRACKED); with `onSale`, they are on sale too (CATALOG_SKU_INACTIVE: nobody orders a
   * retired item, though its remaining stock may still be moved).
   */
  async require(m: EntityManager, skuIds: string[], opts: { onSale?: boolean } = {}): Promise<Map<string, SkuLabelRow>> {
    const labels = await this.catalog.skuLabels(m, skuIds);
    const missing = [...new Set(skuIds)].filter((id) => !labels.has(id));
    if (missing.length) throw new AppError('CATALOG_SKU_NOT_FOUND', { skuIds: missing });
    const untracked = [...labels.values()].filter((l) => !l.trackStock).map((l) => l.skuId);
    if (untracked.length) throw new AppError('STOCK_NOT_TRACKED', { skuIds: untracked });
    if (opts.onSale) {
      const inactive = [...labels.values()].filter((l) => !l.onSale).map((l) => l.skuId);
      if (inactive.length) throw new AppError('CATALOG_SKU_INACTIVE', { skuIds: inactive });
    }
    return labels;
  }

  labels(m: EntityManager, skuIds: string[]): Promise<Map<string, SkuLabelRow>> {
    return this.catalog.skuLabels(m, skuIds);
  }

  byBarcode(m: EntityManager, barcodes: string[]): Promise<Map<string, SkuLabelRow>> {
    return this.catalog.skusByBarcode(m, barcodes);
  }

  existingCategories(m: EntityManager, ids: string[]): Promise<Set<string>> {
    return this.catalog.existingCategories(m, ids);
  }
}

export function labelOf(labels: ReadonlyMap<string, SkuLabelRow>, skuId: string): SkuLabel {
  const l = labels.get(skuId);
  return { skuId, productName: l?.productName ?? '', specName: l?.specName ?? null, barcode: l?.barcode ?? null, unit: l?.unit ?? '' };
}

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
