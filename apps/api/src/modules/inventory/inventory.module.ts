import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { StaffModule } from '../staff/staff.module';
import { AlertRepository } from './alert.repository';
import { StockAlertService } from './alert.service';
import {
  InventoryController,
  PurchaseOrderController,
  StockAlertController,
  StockIoController,
  StocktakeController,
  StoreInventoryController,
  TransferController,
} from './inventory.controller';
import { InventorySkus } from './inventory-skus';
import { LOW_STOCK_NOTIFIER, OutboxLowStockNotifier } from './low-stock-notifier';
import { PurchaseRepository } from './purchase.repository';
import { PurchaseService } from './purchase.service';
import { InventoryReportService } from './report.service';
import { StockIoRepository } from './stock-io.repository';
import { StockIoService } from './stock-io.service';
import { StocktakeRepository } from './stocktake.repository';
import { StocktakeService } from './stocktake.service';
import { SupplierRepository } from './supplier.repository';
import { SupplierService } from './supplier.service';
import { TransferRepository } from './transfer.repository';
import { TransferService } from './transfer.service';

/**
 * Inventory across stores (进销存): suppliers, purchases, other inbound/outbound, transfers,
 * stocktakes, low-stock alerts, replenishment and reports. Stock and cost move only through the
 * catalog's StockService; this module never writes stock or stock_movement.
 */
@Module({
  imports: [CatalogModule, NotificationsModule, StaffModule],
  controllers: [InventoryController, StoreInventoryController, PurchaseOrderController, StockIoController, TransferController, StocktakeController, StockAlertController],
  providers: [
    InventorySkus,
    SupplierRepository,
    SupplierService,
    PurchaseRepository,
    PurchaseService,
    StockIoRepository,
    StockIoService,
    TransferRepository,
    TransferService,
    StocktakeRepository,
    StocktakeService,
    AlertRepository,
    StockAlertService,
    InventoryReportService,
    { provide: LOW_STOCK_NOTIFIER, useClass: OutboxLowStockNotifier },
  ],
  exports: [PurchaseService, TransferService, StockAlertService],
})
export class InventoryModule {}
