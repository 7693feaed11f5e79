import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import { CATALOG_STATUSES, PRODUCT_KINDS, type CatalogStatus, type ProductKind } from '../entities/catalog.entity';

/** 1,000,000 yuan: far above any item a store sells, far below a safe integer. */
const MAX_FEN = 100_000_000;
export const BARCODE_FORMAT = /^[0-9A-Za-z-]{4,32}$/;
export const PRODUCT_CODE_FORMAT = /^[A-Za-z0-9_.-]{1,40}$/;

// ---- categories ----

export class CreateCategoryRequest {
  @ApiProperty({ example: '奶茶' }) @IsString() @Length(1, 30) name!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The parent category; absent or null for a top-level one' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('4')
  parentId?: string | null;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(10_000) sortOrder?: number;
  @ApiPropertyOptional({ enum: CATALOG_STATUSES }) @IsOptional() @IsIn(CATALOG_STATUSES) status?: CatalogStatus;
}

export class UpdateCategoryRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 30) name?: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Move under another category; null moves it to the top level' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('4')
  parentId?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000) sortOrder?: number;
  @ApiPropertyOptional({ enum: CATALOG_STATUSES }) @IsOptional() @IsIn(CATALOG_STATUSES) status?: CatalogStatus;
}

export class ListCategoriesQuery {
  @ApiPropertyOptional({ enum: CATALOG_STATUSES, description: 'Only categories of this status (an inactive one hides its sub-tree)' })
  @IsOptional()
  @IsIn(CATALOG_STATUSES)
  status?: CatalogStatus;
}

export class CategoryResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) parentId!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty() sortOrder!: number;
  @ApiProperty({ enum: CATALOG_STATUSES }) status!: CatalogStatus;
  @ApiProperty({ description: 'Products directly in this category' }) productCount!: number;
  @ApiProperty({ type: () => [CategoryResponse] }) children!: CategoryResponse[];
}

// ---- products and SKUs ----

export class SkuInput {
  @ApiPropertyOptional({ nullable: true, type: String, example: '大杯', description: 'The specification; null for a product with one SKU' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 30)
  specName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '6921168509256', description: 'Unique among active SKUs' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(BARCODE_FORMAT, { message: 'barcode must be 4–32 letters, digits or dashes' })
  barcode?: string | null;
  @ApiPropertyOptional({ example: '杯', description: 'Defaults to 件 for goods, 次 for services' }) @IsOptional() @IsString() @Length(1, 10) unit?: string;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(MAX_FEN) costFen?: number;
  @ApiProperty({ example: 1800 }) @IsInt() @Min(0) @Max(MAX_FEN) priceFen!: number;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 1600, description: 'Member price (会员价), at most priceFen; null for none' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  memberPriceFen?: number | null;
  @ApiPropertyOptional({ description: 'Keep stock for this SKU; defaults to true for goods, false for services' }) @IsOptional() @IsBoolean() trackStock?: boolean;
  @ApiPropertyOptional({ enum: CATALOG_STATUSES }) @IsOptional() @IsIn(CATALOG_STATUSES) status?: CatalogStatus;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000) sortOrder?: number;
}

export class CreateSkuRequest extends SkuInput {}

export class UpdateSkuRequest {
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 30) specName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(BARCODE_FORMAT, { message: 'barcode must be 4–32 letters, digits or dashes' })
  barcode?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 10) unit?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(MAX_FEN) costFen?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(MAX_FEN) priceFen?: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(0) @Max(MAX_FEN) memberPriceFen?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() trackStock?: boolean;
  @ApiPropertyOptional({ enum: CATALOG_STATUSES }) @IsOptional() @IsIn(CATALOG_STATUSES) status?: CatalogStatus;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000) sortOrder?: number;
}

export class CreateProductRequest {
  @ApiProperty({ example: '珍珠奶茶' }) @IsString() @Length(1, 60) name!: string;
  @ApiProperty({ enum: PRODUCT_KINDS }) @IsIn(PRODUCT_KINDS) kind!: ProductKind;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID('4') categoryId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'wash_cut', description: 'Unique code; a service’s code is what count cards cover' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(PRODUCT_CODE_FORMAT, { message: 'code must be 1–40 letters, digits, _ . or -' })
  code?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) description?: string;
  @ApiPropertyOptional({ example: 45, description: 'Required for a service (minutes it takes); not allowed for goods' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  durationMinutes?: number;
  @ApiPropertyOptional({ enum: CATALOG_STATUSES }) @IsOptional() @IsIn(CATALOG_STATUSES) status?: CatalogStatus;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000) sortOrder?: number;
  @ApiProperty({ type: [SkuInput], description: 'At least one SKU (规格)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SkuInput)
  skus!: SkuInput[];
}

export class UpdateProductRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 60) name?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID('4') categoryId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(PRODUCT_CODE_FORMAT, { message: 'code must be 1–40 letters, digits, _ . or -' })
  code?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) description?: string;
  @ApiPropertyOptional({ description: 'Services only' }) @IsOptional() @IsInt() @Min(1) @Max(24 * 60) durationMinutes?: number;
  @ApiPropertyOptional({ enum: CATALOG_STATUSES }) @IsOptional() @IsIn(CATALOG_STATUSES) status?: CatalogStatus;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000) sortOrder?: number;
}

export class SkuResponse {
  @ApiProperty() id!: string;
  @ApiProperty() productId!: string;
  @ApiProperty({ nullable: true, type: String }) specName!: string | null;
  @ApiProperty({ nullable: true, type: String }) barcode!: string | null;
  @ApiProperty() unit!: string;
  @ApiProperty() costFen!: number;
  @ApiProperty({ description: 'The chain’s price' }) priceFen!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'The chain’s member price' }) memberPriceFen!: number | null;
  @ApiProperty({ enum: CATALOG_STATUSES }) status!: CatalogStatus;
  @ApiProperty() trackStock!: boolean;
  @ApiProperty() sortOrder!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ProductResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PRODUCT_KINDS }) kind!: ProductKind;
  @ApiProperty({ nullable: true, type: String }) categoryId!: string | null;
  @ApiProperty({ nullable: true, type: String }) categoryName!: string | null;
  @ApiProperty({ nullable: true, type: String }) code!: string | null;
  @ApiProperty() description!: string;
  @ApiProperty({ nullable: true, type: Number }) durationMinutes!: number | null;
  @ApiProperty({ enum: CATALOG_STATUSES }) status!: CatalogStatus;
  @ApiProperty() sortOrder!: number;
  @ApiProperty({ example: 'zznc', description: 'Pinyin initials of the name (拼音首字母), as searched' }) pinyinInitials!: string;
  @ApiProperty({ example: 'zhenzhunaicha' }) pinyinFull!: string;
  @ApiProperty({ type: [SkuResponse] }) skus!: SkuResponse[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ProductPageResponse {
  @ApiProperty({ type: [ProductResponse] }) items!: ProductResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

/** Search filters shared by the product list, a store's sellable items and its stock list. */
export class CatalogSearchQuery extends PageQuery {
  @ApiPropertyOptional({
    example: 'nc',
    description: 'Name contains, pinyin initials (nc → 奶茶) or full pinyin (naicha), product code, or an exact barcode',
  })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  q?: string;
  @ApiPropertyOptional({ description: 'Exact barcode of a SKU' }) @IsOptional() @Matches(BARCODE_FORMAT, { message: 'barcode must be 4–32 letters, digits or dashes' }) barcode?: string;
  @ApiPropertyOptional({ description: 'In this category or any of its sub-categories' }) @IsOptional() @IsUUID('4') categoryId?: string;
  @ApiPropertyOptional({ enum: PRODUCT_KINDS }) @IsOptional() @IsIn(PRODUCT_KINDS) kind?: ProductKind;
}

export class ListProductsQuery extends CatalogSearchQuery {
  @ApiPropertyOptional({ enum: CATALOG_STATUSES }) @IsOptional() @IsIn(CATALOG_STATUSES) status?: CatalogStatus;
}

// ---- a store's view: sellable items and its own prices ----

export class StoreItemResponse {
  @ApiProperty() skuId!: string;
  @ApiProperty() productId!: string;
  @ApiProperty() productName!: string;
  @ApiProperty({ nullable: true, type: String }) specName!: string | null;
  @ApiProperty({ enum: PRODUCT_KINDS }) kind!: ProductKind;
  @ApiProperty({ nullable: true, type: String }) categoryId!: string | null;
  @ApiProperty({ nullable: true, type: String }) code!: string | null;
  @ApiProperty({ nullable: true, type: String }) barcode!: string | null;
  @ApiProperty() unit!: string;
  @ApiProperty({ description: 'The price at this store (its own price when set, else the chain’s)' }) priceFen!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'The member price at this store' }) memberPriceFen!: number | null;
  @ApiProperty({ description: 'Whether the store’s own prices apply' }) storePrice!: boolean;
  @ApiProperty({ nullable: true, type: Number }) durationMinutes!: number | null;
  @ApiProperty() trackStock!: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'Stock at this store; null when stock is not kept' }) stock!: number | null;
}

export class StoreItemPageResponse {
  @ApiProperty({ type: [StoreItemResponse] }) items!: StoreItemResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class SetStorePriceRequest {
  @ApiProperty({ example: 2000 }) @IsInt() @Min(0) @Max(MAX_FEN) priceFen!: number;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 1800, description: 'The store’s member price, at most priceFen; null or absent: no member price at this store' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  memberPriceFen?: number | null;
}

export class StorePriceResponse {
  @ApiProperty() storeId!: string;
  @ApiProperty() skuId!: string;
  @ApiProperty() productName!: string;
  @ApiProperty({ nullable: true, type: String }) specName!: string | null;
  @ApiProperty() priceFen!: number;
  @ApiProperty({ nullable: true, type: Number }) memberPriceFen!: number | null;
  @ApiProperty() chainPriceFen!: number;
  @ApiProperty({ nullable: true, type: Number }) chainMemberPriceFen!: number | null;
  @ApiProperty() updatedAt!: string;
}

export class StorePricePageResponse {
  @ApiProperty({ type: [StorePriceResponse] }) items!: StorePriceResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

// ---- settings ----

export class CatalogSettingsResponse {
  @ApiProperty({ description: 'Whether a sale may take a store’s stock below zero (负库存销售)' }) allowNegativeStock!: boolean;
  @ApiProperty() updatedAt!: string;
}

export class UpdateCatalogSettingsRequest {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() allowNegativeStock?: boolean;
}
