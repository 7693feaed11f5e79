import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsUUID } from 'class-validator';

/**
 * Which products a coupon, promotion or the tier discount covers (适用商品). Empty include lists
 * mean the whole catalog; a category covers its sub-categories; an exclusion always wins. Shared
 * by coupons, promotions and the pricing settings, which the engine reads the same way.
 */
export interface ProductScope {
  includeProductIds: string[];
  includeCategoryIds: string[];
  excludeProductIds: string[];
  excludeCategoryIds: string[];
}

export const EMPTY_SCOPE: ProductScope = { includeProductIds: [], includeCategoryIds: [], excludeProductIds: [], excludeCategoryIds: [] };

export class ProductScopeRequest implements Partial<ProductScope> {
  @ApiPropertyOptional({ type: [String], description: 'Only these products (with includeCategoryIds); empty = everything' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  includeProductIds?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Only products in these categories or below them' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  includeCategoryIds?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Never these products' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  excludeProductIds?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Never products in these categories or below them' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  excludeCategoryIds?: string[];
}

export class ProductScopeResponse implements ProductScope {
  @ApiProperty({ type: [String] }) includeProductIds!: string[];
  @ApiProperty({ type: [String] }) includeCategoryIds!: string[];
  @ApiProperty({ type: [String] }) excludeProductIds!: string[];
  @ApiProperty({ type: [String] }) excludeCategoryIds!: string[];
}

/** A scope as stored: every list present, in a stable order (so that audit diffs stay quiet). */
export function toScope(input: Partial<ProductScope> | null | undefined): ProductScope {
  const list = (xs: string[] | undefined) => [...new Set(xs ?? [])].sort();
  return {
    includeProductIds: list(input?.includeProductIds),
    includeCategoryIds: list(input?.includeCategoryIds),
    excludeProductIds: list(input?.excludeProductIds),
    excludeCategoryIds: list(input?.excludeCategoryIds),
  };
}
