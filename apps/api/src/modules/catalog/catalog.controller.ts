import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor } from '../../common/auth/actor';
import { CurrentStaff, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { PageQuery } from '../../common/http/pagination';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import { CatalogService } from './catalog.service';
import {
  CatalogSearchQuery,
  CatalogSettingsResponse,
  CategoryResponse,
  CreateCategoryRequest,
  CreateProductRequest,
  CreateSkuRequest,
  ListCategoriesQuery,
  ListProductsQuery,
  ProductPageResponse,
  ProductResponse,
  SetStorePriceRequest,
  SkuResponse,
  StoreItemPageResponse,
  StorePricePageResponse,
  StorePriceResponse,
  UpdateCatalogSettingsRequest,
  UpdateCategoryRequest,
  UpdateProductRequest,
  UpdateSkuRequest,
} from './dto/catalog.dto';
import { AdjustStockRequest, StockMovementPageResponse, StockPageResponse, StockQuery, StockResponse } from './dto/stock.dto';
import { StockService } from './stock.service';

/** The chain's catalog: HQ manages it (catalog.manage); every store reads it. */
@ApiTags('catalog')
@Controller('catalog')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('categories')
  @ApiOperation({ summary: 'The category tree (商品分类), ordered by sort order and name' })
  @ApiResult([CategoryResponse])
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('catalog.read')
  categories(@Query() q: ListCategoriesQuery): Promise<CategoryResponse[]> {
    return this.catalog.categories(q);
  }

  @Post('categories')
  @ApiOperation({ summary: 'Add a category, at the top or under another (HQ); audited' })
  @ApiResult(CategoryResponse, 201)
  @ApiErrors('FORBIDDEN', 'CATALOG_CATEGORY_NOT_FOUND', 'CATALOG_CATEGORY_NAME_TAKEN')
  @RequirePermissions('catalog.manage')
  @RequireChainScope()
  createCategory(@Body() body: CreateCategoryRequest): Promise<CategoryResponse> {
    return this.catalog.createCategory(body);
  }

  @Patch('categories/:categoryId')
  @ApiOperation({ summary: 'Rename, move, reorder or (de)activate a category (HQ); audited' })
  @ApiResult(CategoryResponse)
  @ApiErrors('FORBIDDEN', 'CATALOG_CATEGORY_NOT_FOUND', 'CATALOG_CATEGORY_NAME_TAKEN', 'CATALOG_CATEGORY_CYCLE')
  @RequirePermissions('catalog.manage')
  @RequireChainScope()
  updateCategory(@Param('categoryId') categoryId: string, @Body() body: UpdateCategoryRequest): Promise<CategoryResponse> {
    return this.catalog.updateCategory(categoryId, body);
  }

  @Get('products')
  @ApiOperation({ summary: 'Search products and services: name, pinyin initials (nc → 奶茶), full pinyin, code, barcode, category with its sub-categories, kind, status' })
  @ApiResult(ProductPageResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('catalog.read')
  products(@Query() q: ListProductsQuery): Promise<ProductPageResponse> {
    return this.catalog.products(q);
  }

  @Post('products')
  @ApiOperation({ summary: 'Add a product or a service with its SKUs and the chain’s prices (HQ); audited' })
  @ApiResult(ProductResponse, 201)
  @ApiErrors('FORBIDDEN', 'CATALOG_CATEGORY_NOT_FOUND', 'CATALOG_PRODUCT_CODE_TAKEN', 'CATALOG_BARCODE_TAKEN')
  @RequirePermissions('catalog.manage')
  @RequireChainScope()
  createProduct(@Body() body: CreateProductRequest): Promise<ProductResponse> {
    return this.catalog.createProduct(body);
  }

  @Get('products/:productId')
  @ApiOperation({ summary: 'One product or service with its SKUs' })
  @ApiResult(ProductResponse)
  @ApiErrors('CATALOG_PRODUCT_NOT_FOUND')
  @RequirePermissions('catalog.read')
  product(@Param('productId') productId: string): Promise<ProductResponse> {
    return this.catalog.product(productId);
  }

  @Patch('products/:productId')
  @ApiOperation({ summary: 'Edit a product or service: name (pinyin recomputed), category, code, duration, status (HQ); audited' })
  @ApiResult(ProductResponse)
  @ApiErrors('FORBIDDEN', 'CATALOG_PRODUCT_NOT_FOUND', 'CATALOG_CATEGORY_NOT_FOUND', 'CATALOG_PRODUCT_CODE_TAKEN')
  @RequirePermissions('catalog.manage')
  @RequireChainScope()
  updateProduct(@Param('productId') productId: string, @Body() body: UpdateProductRequest): Promise<ProductResponse> {
    return this.catalog.updateProduct(productId, body);
  }

  @Post('products/:productId/skus')
  @ApiOperation({ summary: 'Add a SKU (规格) to a product (HQ); audited' })
  @ApiResult(SkuResponse, 201)
  @ApiErrors('FORBIDDEN', 'CATALOG_PRODUCT_NOT_FOUND', 'CATALOG_BARCODE_TAKEN')
  @RequirePermissions('catalog.manage')
  @RequireChainScope()
  addSku(@Param('productId') productId: string, @Body() body: CreateSkuRequest): Promise<SkuResponse> {
    return this.catalog.addSku(productId, body);
  }

  @Patch('skus/:skuId')
  @ApiOperation({ summary: 'Edit a SKU: barcode, unit, cost, the chain’s price and member price, stock keeping, status (HQ); price changes audited' })
  @ApiResult(SkuResponse)
  @ApiErrors('FORBIDDEN', 'CATALOG_SKU_NOT_FOUND', 'CATALOG_BARCODE_TAKEN')
  @RequirePermissions('catalog.manage')
  @RequireChainScope()
  updateSku(@Param('skuId') skuId: string, @Body() body: UpdateSkuRequest): Promise<SkuResponse> {
    return this.catalog.updateSku(skuId, body);
  }

  @Get('settings')
  @ApiOperation({ summary: 'The chain’s catalog settings (negative stock)' })
  @ApiResult(CatalogSettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('catalog.manage')
  @RequireChainScope()
  settings(): Promise<CatalogSettingsResponse> {
    return this.catalog.settings();
  }

  @Patch('settings')
  @ApiOperation({ summary: 'Allow or forbid sales below zero stock (HQ); refused while some stock is negative; audited' })
  @ApiResult(CatalogSettingsResponse)
  @ApiErrors('FORBIDDEN', 'CATALOG_NEGATIVE_STOCK_EXISTS')
  @RequirePermissions('catalog.manage')
  @RequireChainScope()
  updateSettings(@Body() body: UpdateCatalogSettingsRequest): Promise<CatalogSettingsResponse> {
    return this.catalog.updateSettings(body);
  }
}

/** A store's view of the catalog: what it sells at which price, and its own prices. */
@ApiTags('catalog')
@Controller('stores/:storeId/catalog')
export class StoreCatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('items')
  @ApiOperation({ summary: 'What the store sells (收银搜索): active SKUs with the store’s prices and stock; search as for products' })
  @ApiResult(StoreItemPageResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('catalog.read')
  items(@Param('storeId') storeId: string, @Query() q: CatalogSearchQuery): Promise<StoreItemPageResponse> {
    return this.catalog.storeItems(storeId, q);
  }

  @Get('prices')
  @ApiOperation({ summary: 'The store’s own prices (门店价格), beside the chain’s' })
  @ApiResult(StorePricePageResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('catalog.read')
  prices(@Param('storeId') storeId: string, @Query() q: PageQuery): Promise<StorePricePageResponse> {
    return this.catalog.storePrices(storeId, q);
  }

  @Put('prices/:skuId')
  @ApiOperation({ summary: 'Set the store’s own price and member price of a SKU (HQ, or the store’s manager when permitted); audited' })
  @ApiResult(StorePriceResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND', 'CATALOG_SKU_NOT_FOUND')
  @RequirePermissions('catalog.store_price')
  setPrice(@CurrentStaff() actor: StaffActor, @Param('storeId') storeId: string, @Param('skuId') skuId: string, @Body() body: SetStorePriceRequest): Promise<StorePriceResponse> {
    return this.catalog.setStorePrice(actor, storeId, skuId, body);
  }

  @Delete('prices/:skuId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Drop the store’s own prices of a SKU: the chain’s apply again; audited' })
  @ApiNoContentResponse()
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND', 'CATALOG_SKU_NOT_FOUND', 'CATALOG_STORE_PRICE_NOT_FOUND')
  @RequirePermissions('catalog.store_price')
  removePrice(@Param('storeId') storeId: string, @Param('skuId') skuId: string): Promise<void> {
    return this.catalog.removeStorePrice(storeId, skuId);
  }
}

/** A store's stock ledger (库存): read by its staff, opening stock and corrections by its manager. */
@ApiTags('stock')
@Controller('stores/:storeId/stock')
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Get()
  @ApiOperation({ summary: 'The store’s stock of every SKU that keeps stock, searchable like products' })
  @ApiResult(StockPageResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('stock.read')
  list(@Param('storeId') storeId: string, @Query() q: StockQuery): Promise<StockPageResponse> {
    return this.stock.list(storeId, q);
  }

  @Post(':skuId/adjustments')
  @Idempotent()
  @ApiOperation({ summary: 'Opening stock (期初库存) or a correction by hand, with a reason; recorded as a movement, audited' })
  @ApiResult(StockResponse, 201)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND', 'CATALOG_SKU_NOT_FOUND', 'STOCK_NOT_TRACKED', 'STOCK_INSUFFICIENT', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('stock.adjust')
  adjust(@Param('storeId') storeId: string, @Param('skuId') skuId: string, @Body() body: AdjustStockRequest): Promise<StockResponse> {
    return this.stock.adjust(storeId, skuId, body);
  }

  @Get(':skuId/movements')
  @ApiOperation({ summary: 'Every change of a SKU’s stock at the store (sales, refunds, adjustments), newest first' })
  @ApiResult(StockMovementPageResponse)
  @ApiErrors('STORE_NOT_FOUND', 'CATALOG_SKU_NOT_FOUND')
  @RequirePermissions('stock.read')
  movements(@Param('storeId') storeId: string, @Param('skuId') skuId: string, @Query() q: PageQuery): Promise<StockMovementPageResponse> {
    return this.stock.movements(storeId, skuId, q);
  }
}
