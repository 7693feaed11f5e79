import { Module } from '@nestjs/common';
import { CatalogController, StockController, StoreCatalogController } from './catalog.controller';
import { CatalogRepository } from './catalog.repository';
import { CatalogService } from './catalog.service';
import { StockRepository } from './stock.repository';
import { StockService } from './stock.service';

/** Exports CatalogService (itemsForPricing) and StockService (move) to pricing and orders. */
@Module({
  controllers: [CatalogController, StoreCatalogController, StockController],
  providers: [CatalogService, CatalogRepository, StockService, StockRepository],
  exports: [CatalogService, StockService],
})
export class CatalogModule {}
