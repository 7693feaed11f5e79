import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor } from '../../common/auth/actor';
import { CrossStoreFields, CurrentStaff, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { PageQuery } from '../../common/http/pagination';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import { StockAlertService } from './alert.service';
import { AlertLinePageResponse, AlertLineResponse, ListAlertsQuery, SetAlertLineRequest, StockAlertPageResponse, StockAlertResponse } from './dto/alert.dto';
import { NoteRequest, RequiredNoteRequest } from './dto/common.dto';
import {
  CreatePurchaseOrderRequest,
  ListPurchaseOrdersQuery,
  PurchaseOrderPageResponse,
  PurchaseOrderResponse,
  ReceivePurchaseRequest,
  ReturnPurchaseRequest,
  UpdatePurchaseOrderRequest,
} from './dto/purchase.dto';
import {
  ChainValuationResponse,
  ExportReplenishmentRequest,
  InTransitResponse,
  JournalPageResponse,
  JournalQuery,
  ReplenishmentQuery,
  ReplenishmentResponse,
  SlowMovingPageResponse,
  SlowMovingQuery,
  ValuationQuery,
  ValuationResponse,
} from './dto/report.dto';
import { CreateStockIoRequest, ListStockIosQuery, StockIoPageResponse, StockIoResponse } from './dto/stock-io.dto';
import {
  CountResultResponse,
  ListStocktakesQuery,
  PostStocktakeRequest,
  ScanBatchRequest,
  SetCountsRequest,
  StartStocktakeRequest,
  StocktakeLinePageResponse,
  StocktakeLinesQuery,
  StocktakePageResponse,
  StocktakeResponse,
} from './dto/stocktake.dto';
import {
  CreateSupplierRequest,
  InventorySettingsResponse,
  ListSuppliersQuery,
  SupplierPageResponse,
  SupplierResponse,
  UpdateInventorySettingsRequest,
  UpdateSupplierRequest,
} from './dto/supplier.dto';
import {
  AvailabilityPageResponse,
  AvailabilityQuery,
  CreateTransferRequest,
  ListTransfersQuery,
  ReceiveTransferRequest,
  TransferPageResponse,
  TransferResponse,
  TransferStepRequest,
} from './dto/transfer.dto';
import { PurchaseService } from './purchase.service';
import { InventoryReportService } from './report.service';
import { StockIoService } from './stock-io.service';
import { StocktakeService } from './stocktake.service';
import { SupplierService } from './supplier.service';
import { TransferService } from './transfer.service';

/** The chain's side of inventory: suppliers and settings (HQ manages them), chain-wide reports. */
@ApiTags('inventory')
@Controller('inventory')
export class InventoryController {
  constructor(
    private readonly suppliers: SupplierService,
    private readonly reports: InventoryReportService,
  ) {}

  @Get('suppliers')
  @ApiOperation({ summary: 'Suppliers (供应商), by code; search by code or name' })
  @ApiResult(SupplierPageResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('inventory.read')
  listSuppliers(@Query() q: ListSuppliersQuery): Promise<SupplierPageResponse> {
    return this.suppliers.list(q);
  }

  @Post('suppliers')
  @ApiOperation({ summary: 'Add a supplier (HQ); audited' })
  @ApiResult(SupplierResponse, 201)
  @ApiErrors('FORBIDDEN', 'INVENTORY_SUPPLIER_CODE_TAKEN')
  @RequirePermissions('inventory.supplier.write')
  @RequireChainScope()
  createSupplier(@Body() body: CreateSupplierRequest): Promise<SupplierResponse> {
    return this.suppliers.create(body);
  }

  @Get('suppliers/:supplierId')
  @ApiOperation({ summary: 'One supplier' })
  @ApiResult(SupplierResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_SUPPLIER_NOT_FOUND')
  @RequirePermissions('inventory.read')
  supplier(@Param('supplierId') supplierId: string): Promise<SupplierResponse> {
    return this.suppliers.get(supplierId);
  }

  @Patch('suppliers/:supplierId')
  @ApiOperation({ summary: 'Edit or deactivate a supplier (HQ); audited' })
  @ApiResult(SupplierResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_SUPPLIER_NOT_FOUND')
  @RequirePermissions('inventory.supplier.write')
  @RequireChainScope()
  updateSupplier(@Param('supplierId') supplierId: string, @Body() body: UpdateSupplierRequest): Promise<SupplierResponse> {
    return this.suppliers.update(supplierId, body);
  }

  @Get('settings')
  @ApiOperation({ summary: 'Whether other inbound / outbound wait for an approval' })
  @ApiResult(InventorySettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('inventory.read')
  settings(): Promise<InventorySettingsResponse> {
    return this.suppliers.settings();
  }

  @Patch('settings')
  @ApiOperation({ summary: 'Switch the approval step of other inbound / outbound on or off (HQ); audited' })
  @ApiResult(InventorySettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('inventory.settings.write')
  @RequireChainScope()
  updateSettings(@Body() body: UpdateInventorySettingsRequest): Promise<InventorySettingsResponse> {
    return this.suppliers.updateSettings(body);
  }

  @Get('valuation')
  @ApiOperation({ summary: 'Every store’s stock at cost, and the goods in transit between stores (counted once) (HQ)' })
  @ApiResult(ChainValuationResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('inventory.read')
  @RequireChainScope()
  chainValuation(): Promise<ChainValuationResponse> {
    return this.reports.chainValuation();
  }

  @Get('in-transit')
  @ApiOperation({ summary: 'Every transfer line on the road (shipped, not received) (HQ)' })
  @ApiResult(InTransitResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('inventory.read')
  @RequireChainScope()
  chainInTransit(): Promise<InTransitResponse> {
    return this.reports.inTransit(null);
  }
}

/** A store's inventory: its documents, its alert lines and its reports (HQ, or its own staff). */
@ApiTags('inventory')
@Controller('stores/:storeId')
export class StoreInventoryController {
  constructor(
    private readonly purchases: PurchaseService,
    private readonly ios: StockIoService,
    private readonly transfers: TransferService,
    private readonly stocktakes: StocktakeService,
    private readonly alerts: StockAlertService,
    private readonly reports: InventoryReportService,
  ) {}

  @Get('purchase-orders')
  @ApiOperation({ summary: 'The store’s purchase orders, newest first' })
  @ApiResult(PurchaseOrderPageResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('inventory.read')
  purchaseOrders(@Param('storeId') storeId: string, @Query() q: ListPurchaseOrdersQuery): Promise<PurchaseOrderPageResponse> {
    return this.purchases.list(storeId, q);
  }

  @Post('purchase-orders')
  @ApiOperation({ summary: 'Draft a purchase order (采购单) from a supplier; audited' })
  @ApiResult(PurchaseOrderResponse, 201)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND', 'INVENTORY_SUPPLIER_NOT_FOUND', 'INVENTORY_SUPPLIER_INACTIVE', 'CATALOG_SKU_NOT_FOUND', 'CATALOG_SKU_INACTIVE', 'STOCK_NOT_TRACKED')
  @RequirePermissions('inventory.purchase')
  createPurchaseOrder(@CurrentStaff() actor: StaffActor, @Param('storeId') storeId: string, @Body() body: CreatePurchaseOrderRequest): Promise<PurchaseOrderResponse> {
    return this.purchases.create(actor, storeId, body);
  }

  @Get('stock-ios')
  @ApiOperation({ summary: 'The store’s other inbound / outbound documents, newest first' })
  @ApiResult(StockIoPageResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('inventory.read')
  stockIos(@Param('storeId') storeId: string, @Query() q: ListStockIosQuery): Promise<StockIoPageResponse> {
    return this.ios.list(storeId, q);
  }

  @Post('stock-ios')
  @Idempotent()
  @ApiOperation({ summary: 'Other inbound or outbound (其他入库/出库: 报损, 领用, 赠送, 调整): posted at once, or pending approval when the chain asks for one; audited' })
  @ApiResult(StockIoResponse, 201)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND', 'CATALOG_SKU_NOT_FOUND', 'STOCK_NOT_TRACKED', 'STOCK_INSUFFICIENT', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('inventory.io')
  createStockIo(@CurrentStaff() actor: StaffActor, @Param('storeId') storeId: string, @Body() body: CreateStockIoRequest): Promise<StockIoResponse> {
    return this.ios.create(actor, storeId, body);
  }

  @Get('transfers')
  @ApiOperation({ summary: 'Transfers to or from the store (调货单), newest first' })
  @ApiResult(TransferPageResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('inventory.read')
  transfersOf(@Param('storeId') storeId: string, @Query() q: ListTransfersQuery): Promise<TransferPageResponse> {
    return this.transfers.list(storeId, q);
  }

  @Post('transfers')
  @CrossStoreFields('fromStoreId')
  @ApiOperation({ summary: 'Ask another store for goods (调货申请): this store receives them; audited' })
  @ApiResult(TransferResponse, 201)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND', 'CATALOG_SKU_NOT_FOUND', 'STOCK_NOT_TRACKED')
  @RequirePermissions('inventory.transfer')
  requestTransfer(@CurrentStaff() actor: StaffActor, @Param('storeId') storeId: string, @Body() body: CreateTransferRequest): Promise<TransferResponse> {
    return this.transfers.request(actor, storeId, body);
  }

  @Get('inventory/availability')
  @ApiOperation({ summary: 'What the other stores hold of items (quantities only), before asking them for a transfer; searchable like products' })
  @ApiResult(AvailabilityPageResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('inventory.transfer')
  availability(@Param('storeId') storeId: string, @Query() q: AvailabilityQuery): Promise<AvailabilityPageResponse> {
    return this.transfers.availability(storeId, q);
  }

  @Get('stocktakes')
  @ApiOperation({ summary: 'The store’s stocktakes (盘点单), newest first, with their variance totals' })
  @ApiResult(StocktakePageResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('inventory.read')
  stocktakesOf(@Param('storeId') storeId: string, @Query() q: ListStocktakesQuery): Promise<StocktakePageResponse> {
    return this.stocktakes.list(storeId, q);
  }

  @Post('stocktakes')
  @ApiOperation({ summary: 'Start a stocktake, full or of some categories: the ledger is snapshotted now; one open per store; audited' })
  @ApiResult(StocktakeResponse, 201)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND', 'CATALOG_CATEGORY_NOT_FOUND', 'INVENTORY_STOCKTAKE_OPEN_EXISTS')
  @RequirePermissions('inventory.stocktake')
  startStocktake(@CurrentStaff() actor: StaffActor, @Param('storeId') storeId: string, @Body() body: StartStocktakeRequest): Promise<StocktakeResponse> {
    return this.stocktakes.start(actor, storeId, body);
  }

  @Get('stock-alert-lines')
  @ApiOperation({ summary: 'The store’s low-stock alert lines (库存预警线) with the stock now' })
  @ApiResult(AlertLinePageResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('inventory.read')
  alertLines(@Param('storeId') storeId: string, @Query() q: PageQuery): Promise<AlertLinePageResponse> {
    return this.alerts.lines(storeId, q);
  }

  @Put('stock-alert-lines/:skuId')
  @ApiOperation({ summary: 'Set an item’s alert line at the store; applied to the stock now (an alert is raised if it is already low); audited' })
  @ApiResult(AlertLineResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND', 'CATALOG_SKU_NOT_FOUND', 'STOCK_NOT_TRACKED')
  @RequirePermissions('inventory.alert')
  setAlertLine(@CurrentStaff() actor: StaffActor, @Param('storeId') storeId: string, @Param('skuId') skuId: string, @Body() body: SetAlertLineRequest): Promise<AlertLineResponse> {
    return this.alerts.setLine(actor, storeId, skuId, body);
  }

  @Delete('stock-alert-lines/:skuId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an item’s alert line (an open alert is resolved); audited' })
  @ApiNoContentResponse()
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND', 'CATALOG_SKU_NOT_FOUND', 'INVENTORY_ALERT_LINE_NOT_FOUND')
  @RequirePermissions('inventory.alert')
  removeAlertLine(@Param('storeId') storeId: string, @Param('skuId') skuId: string): Promise<void> {
    return this.alerts.removeLine(storeId, skuId);
  }

  @Get('stock-alerts')
  @ApiOperation({ summary: 'The store’s low-stock alerts (库存预警), newest first' })
  @ApiResult(StockAlertPageResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('inventory.read')
  stockAlerts(@Param('storeId') storeId: string, @Query() q: ListAlertsQuery): Promise<StockAlertPageResponse> {
    return this.alerts.alerts(storeId, q);
  }

  @Get('inventory/valuation')
  @ApiOperation({ summary: 'The store’s stock at cost (库存金额), with what is in transit to and from it' })
  @ApiResult(ValuationResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('inventory.read')
  valuation(@Param('storeId') storeId: string, @Query() q: ValuationQuery): Promise<ValuationResponse> {
    return this.reports.valuation(storeId, q);
  }

  @Get('inventory/movements')
  @ApiOperation({ summary: 'The store’s movement journal (库存流水) of every item, valued at cost, newest first' })
  @ApiResult(JournalPageResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('inventory.read')
  journal(@Param('storeId') storeId: string, @Query() q: JournalQuery): Promise<JournalPageResponse> {
    return this.reports.journal(storeId, q);
  }

  @Get('inventory/in-transit')
  @ApiOperation({ summary: 'Transfer lines on the road to or from the store (在途)' })
  @ApiResult(InTransitResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('inventory.read')
  inTransit(@Param('storeId') storeId: string): Promise<InTransitResponse> {
    return this.reports.inTransit(storeId);
  }

  @Get('inventory/slow-moving')
  @ApiOperation({ summary: 'Stock with no sale in the last N days (滞销), the longest idle first' })
  @ApiResult(SlowMovingPageResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('inventory.read')
  slowMoving(@Param('storeId') storeId: string, @Query() q: SlowMovingQuery): Promise<SlowMovingPageResponse> {
    return this.reports.slowMoving(storeId, q);
  }

  @Get('inventory/replenishment')
  @ApiOperation({ summary: 'Replenishment suggestion (补货建议): ⌈net sales of the last N days × lead time ÷ N⌉ + alert line − on hand − in transit − on order' })
  @ApiResult(ReplenishmentResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND', 'INVENTORY_SUPPLIER_NOT_FOUND')
  @RequirePermissions('inventory.read')
  replenishment(@Param('storeId') storeId: string, @Query() q: ReplenishmentQuery): Promise<ReplenishmentResponse> {
    return this.reports.replenishment(storeId, q);
  }

  @Post('inventory/replenishment/purchase-orders')
  @ApiOperation({ summary: 'Export the replenishment suggestion as a draft purchase order from a supplier; audited' })
  @ApiResult(PurchaseOrderResponse, 201)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND', 'INVENTORY_SUPPLIER_NOT_FOUND', 'INVENTORY_SUPPLIER_INACTIVE', 'INVENTORY_NOTHING_TO_ORDER')
  @RequirePermissions('inventory.purchase')
  exportReplenishment(@CurrentStaff() actor: StaffActor, @Param('storeId') storeId: string, @Body() body: ExportReplenishmentRequest): Promise<PurchaseOrderResponse> {
    return this.reports.exportDraft(actor, storeId, body);
  }
}

/** One purchase order: edit the draft, place it, receive goods, return them, close or cancel it. */
@ApiTags('inventory')
@Controller('purchase-orders/:purchaseOrderId')
export class PurchaseOrderController {
  constructor(private readonly purchases: PurchaseService) {}

  @Get()
  @ApiOperation({ summary: 'A purchase order with its lines, receipts and returns' })
  @ApiResult(PurchaseOrderResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_PURCHASE_ORDER_NOT_FOUND')
  @RequirePermissions('inventory.read')
  get(@Param('purchaseOrderId') id: string): Promise<PurchaseOrderResponse> {
    return this.purchases.get(id);
  }

  @Patch()
  @ApiOperation({ summary: 'Edit a draft: supplier, expected date, note, lines (replaced as a whole); audited' })
  @ApiResult(PurchaseOrderResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_PURCHASE_ORDER_NOT_FOUND', 'INVENTORY_PURCHASE_ORDER_STATUS', 'INVENTORY_SUPPLIER_NOT_FOUND', 'INVENTORY_SUPPLIER_INACTIVE', 'CATALOG_SKU_NOT_FOUND', 'CATALOG_SKU_INACTIVE')
  @RequirePermissions('inventory.purchase')
  update(@Param('purchaseOrderId') id: string, @Body() body: UpdatePurchaseOrderRequest): Promise<PurchaseOrderResponse> {
    return this.purchases.update(id, body);
  }

  @Post('submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Place the order with the supplier (下单): draft → ordered; audited' })
  @ApiResult(PurchaseOrderResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_PURCHASE_ORDER_NOT_FOUND', 'INVENTORY_PURCHASE_ORDER_STATUS', 'INVENTORY_SUPPLIER_INACTIVE')
  @RequirePermissions('inventory.purchase')
  submit(@Param('purchaseOrderId') id: string): Promise<PurchaseOrderResponse> {
    return this.purchases.submit(id);
  }

  @Post('receipts')
  @Idempotent()
  @ApiOperation({ summary: 'Receive goods (采购入库): into stock at their cost (moving-average cost updated); at most what is outstanding; audited' })
  @ApiResult(PurchaseOrderResponse, 201)
  @ApiErrors('FORBIDDEN', 'INVENTORY_PURCHASE_ORDER_NOT_FOUND', 'INVENTORY_PURCHASE_ORDER_STATUS', 'INVENTORY_SKU_NOT_IN_DOCUMENT', 'INVENTORY_RECEIVE_EXCEEDS_ORDERED', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('inventory.purchase')
  receive(@CurrentStaff() actor: StaffActor, @Param('purchaseOrderId') id: string, @Body() body: ReceivePurchaseRequest): Promise<PurchaseOrderResponse> {
    return this.purchases.receive(actor, id, body);
  }

  @Post('returns')
  @Idempotent()
  @ApiOperation({ summary: 'Return received goods to the supplier (采购退货); never more than received or than the store holds; audited' })
  @ApiResult(PurchaseOrderResponse, 201)
  @ApiErrors('FORBIDDEN', 'INVENTORY_PURCHASE_ORDER_NOT_FOUND', 'INVENTORY_PURCHASE_ORDER_STATUS', 'INVENTORY_SKU_NOT_IN_DOCUMENT', 'INVENTORY_RETURN_EXCEEDS_RECEIVED', 'STOCK_INSUFFICIENT', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('inventory.purchase')
  returnGoods(@CurrentStaff() actor: StaffActor, @Param('purchaseOrderId') id: string, @Body() body: ReturnPurchaseRequest): Promise<PurchaseOrderResponse> {
    return this.purchases.returnGoods(actor, id, body);
  }

  @Post('close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a partly received order short (the rest will not come); audited' })
  @ApiResult(PurchaseOrderResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_PURCHASE_ORDER_NOT_FOUND', 'INVENTORY_PURCHASE_ORDER_STATUS')
  @RequirePermissions('inventory.purchase')
  close(@Param('purchaseOrderId') id: string, @Body() body: RequiredNoteRequest): Promise<PurchaseOrderResponse> {
    return this.purchases.close(id, body.note);
  }

  @Post('cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an order nothing of which has arrived; audited' })
  @ApiResult(PurchaseOrderResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_PURCHASE_ORDER_NOT_FOUND', 'INVENTORY_PURCHASE_ORDER_STATUS')
  @RequirePermissions('inventory.purchase')
  cancel(@Param('purchaseOrderId') id: string, @Body() body: RequiredNoteRequest): Promise<PurchaseOrderResponse> {
    return this.purchases.cancel(id, body.note);
  }
}

/** One other inbound / outbound document: its approval step. */
@ApiTags('inventory')
@Controller('stock-ios/:stockIoId')
export class StockIoController {
  constructor(private readonly ios: StockIoService) {}

  @Get()
  @ApiOperation({ summary: 'An other inbound / outbound document' })
  @ApiResult(StockIoResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_STOCK_IO_NOT_FOUND')
  @RequirePermissions('inventory.read')
  get(@Param('stockIoId') id: string): Promise<StockIoResponse> {
    return this.ios.get(id);
  }

  @Post('approve')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Approve a pending document (审核): it posts, moving stock; audited' })
  @ApiResult(StockIoResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_STOCK_IO_NOT_FOUND', 'INVENTORY_STOCK_IO_STATUS', 'STOCK_INSUFFICIENT', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('inventory.io.approve')
  approve(@CurrentStaff() actor: StaffActor, @Param('stockIoId') id: string, @Body() body: NoteRequest): Promise<StockIoResponse> {
    return this.ios.approve(actor, id, body.note ?? '');
  }

  @Post('reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a pending document, with the reason; audited' })
  @ApiResult(StockIoResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_STOCK_IO_NOT_FOUND', 'INVENTORY_STOCK_IO_STATUS')
  @RequirePermissions('inventory.io.approve')
  reject(@CurrentStaff() actor: StaffActor, @Param('stockIoId') id: string, @Body() body: RequiredNoteRequest): Promise<StockIoResponse> {
    return this.ios.reject(actor, id, body.note);
  }

  @Post('cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a pending document; audited' })
  @ApiResult(StockIoResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_STOCK_IO_NOT_FOUND', 'INVENTORY_STOCK_IO_STATUS')
  @RequirePermissions('inventory.io')
  cancel(@CurrentStaff() actor: StaffActor, @Param('stockIoId') id: string, @Body() body: NoteRequest): Promise<StockIoResponse> {
    return this.ios.cancel(actor, id, body.note ?? '');
  }
}

/** One transfer: each store takes its own steps (the sender approves and ships, the receiver receives). */
@ApiTags('inventory')
@Controller('transfers/:transferId')
export class TransferController {
  constructor(private readonly transfers: TransferService) {}

  @Get()
  @ApiOperation({ summary: 'A transfer with its lines: requested, approved, shipped, received, in transit, differences' })
  @ApiResult(TransferResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_TRANSFER_NOT_FOUND')
  @RequirePermissions('inventory.read')
  get(@Param('transferId') id: string): Promise<TransferResponse> {
    return this.transfers.get(id);
  }

  @Post('approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a request, with the quantities granted (the sending store, or HQ); audited' })
  @ApiResult(TransferResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_TRANSFER_NOT_FOUND', 'INVENTORY_TRANSFER_STATUS', 'INVENTORY_TRANSFER_WRONG_SIDE', 'INVENTORY_APPROVE_EXCEEDS_REQUESTED', 'INVENTORY_TRANSFER_EMPTY')
  @RequirePermissions('inventory.transfer.approve')
  approve(@CurrentStaff() actor: StaffActor, @Param('transferId') id: string, @Body() body: TransferStepRequest): Promise<TransferResponse> {
    return this.transfers.approve(actor, id, body);
  }

  @Post('reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a request, with the reason (the sending store, or HQ); audited' })
  @ApiResult(TransferResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_TRANSFER_NOT_FOUND', 'INVENTORY_TRANSFER_STATUS', 'INVENTORY_TRANSFER_WRONG_SIDE')
  @RequirePermissions('inventory.transfer.approve')
  reject(@CurrentStaff() actor: StaffActor, @Param('transferId') id: string, @Body() body: RequiredNoteRequest): Promise<TransferResponse> {
    return this.transfers.reject(actor, id, body.note);
  }

  @Post('ship')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Ship (发货): the goods leave the sending store and are in transit; never more than approved or than it holds; audited' })
  @ApiResult(TransferResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_TRANSFER_NOT_FOUND', 'INVENTORY_TRANSFER_STATUS', 'INVENTORY_TRANSFER_WRONG_SIDE', 'INVENTORY_SHIP_EXCEEDS_APPROVED', 'INVENTORY_TRANSFER_EMPTY', 'STOCK_INSUFFICIENT', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('inventory.transfer')
  ship(@CurrentStaff() actor: StaffActor, @Param('transferId') id: string, @Body() body: TransferStepRequest): Promise<TransferResponse> {
    return this.transfers.ship(actor, id, body);
  }

  @Post('receive')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Receive (收货) what arrived at the receiving store; fewer than shipped is recorded as a difference, more is refused; audited' })
  @ApiResult(TransferResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_TRANSFER_NOT_FOUND', 'INVENTORY_TRANSFER_STATUS', 'INVENTORY_TRANSFER_WRONG_SIDE', 'INVENTORY_RECEIVE_EXCEEDS_SHIPPED', 'INVENTORY_SKU_NOT_IN_DOCUMENT', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('inventory.transfer')
  receive(@CurrentStaff() actor: StaffActor, @Param('transferId') id: string, @Body() body: ReceiveTransferRequest): Promise<TransferResponse> {
    return this.transfers.receive(actor, id, body);
  }

  @Post('cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a transfer before it ships (either store, or HQ); audited' })
  @ApiResult(TransferResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_TRANSFER_NOT_FOUND', 'INVENTORY_TRANSFER_STATUS')
  @RequirePermissions('inventory.transfer')
  cancel(@CurrentStaff() actor: StaffActor, @Param('transferId') id: string, @Body() body: RequiredNoteRequest): Promise<TransferResponse> {
    return this.transfers.cancel(actor, id, body.note);
  }
}

/** One stocktake: counts (by hand or scanned), the variance report, posting. */
@ApiTags('inventory')
@Controller('stocktakes/:stocktakeId')
export class StocktakeController {
  constructor(private readonly stocktakes: StocktakeService) {}

  @Get()
  @ApiOperation({ summary: 'A stocktake with its variance totals at cost' })
  @ApiResult(StocktakeResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_STOCKTAKE_NOT_FOUND')
  @RequirePermissions('inventory.read')
  get(@Param('stocktakeId') id: string): Promise<StocktakeResponse> {
    return this.stocktakes.get(id);
  }

  @Get('lines')
  @ApiOperation({ summary: 'The variance report (盘点差异): snapshot, expected at the count, counted, variance and its value at cost, per item' })
  @ApiResult(StocktakeLinePageResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_STOCKTAKE_NOT_FOUND')
  @RequirePermissions('inventory.read')
  lines(@Param('stocktakeId') id: string, @Query() q: StocktakeLinesQuery): Promise<StocktakeLinePageResponse> {
    return this.stocktakes.lines(id, q);
  }

  @Put('counts')
  @ApiOperation({ summary: 'Enter counted quantities (a recount replaces the count)' })
  @ApiResult(CountResultResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_STOCKTAKE_NOT_FOUND', 'INVENTORY_STOCKTAKE_STATUS', 'INVENTORY_STOCKTAKE_OUT_OF_SCOPE')
  @RequirePermissions('inventory.stocktake')
  setCounts(@CurrentStaff() actor: StaffActor, @Param('stocktakeId') id: string, @Body() body: SetCountsRequest): Promise<CountResultResponse> {
    return this.stocktakes.setCounts(actor, id, body);
  }

  @Post('scans')
  @HttpCode(200)
  @ApiOperation({ summary: 'A batch of barcode scans (扫码盘点): each adds to its item’s count; an unknown or out-of-scope barcode refuses the batch' })
  @ApiResult(CountResultResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_STOCKTAKE_NOT_FOUND', 'INVENTORY_STOCKTAKE_STATUS', 'INVENTORY_BARCODE_NOT_FOUND', 'INVENTORY_STOCKTAKE_OUT_OF_SCOPE')
  @RequirePermissions('inventory.stocktake')
  scan(@CurrentStaff() actor: StaffActor, @Param('stocktakeId') id: string, @Body() body: ScanBatchRequest): Promise<CountResultResponse> {
    return this.stocktakes.scan(actor, id, body);
  }

  @Post('post')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Post the variances through the stock ledger (盘点过账); uncounted lines ignored or zeroed; audited' })
  @ApiResult(StocktakeResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_STOCKTAKE_NOT_FOUND', 'INVENTORY_STOCKTAKE_STATUS', 'STOCK_INSUFFICIENT', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('inventory.stocktake')
  post(@CurrentStaff() actor: StaffActor, @Param('stocktakeId') id: string, @Body() body: PostStocktakeRequest): Promise<StocktakeResponse> {
    return this.stocktakes.post(actor, id, body);
  }

  @Post('cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an open stocktake (nothing is posted); audited' })
  @ApiResult(StocktakeResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_STOCKTAKE_NOT_FOUND', 'INVENTORY_STOCKTAKE_STATUS')
  @RequirePermissions('inventory.stocktake')
  cancel(@CurrentStaff() actor: StaffActor, @Param('stocktakeId') id: string, @Body() body: NoteRequest): Promise<StocktakeResponse> {
    return this.stocktakes.cancel(actor, id, body.note ?? '');
  }
}

/** One low-stock alert. */
@ApiTags('inventory')
@Controller('stock-alerts/:stockAlertId')
export class StockAlertController {
  constructor(private readonly alerts: StockAlertService) {}

  @Post('acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark an alert as seen (已读); it stays open until the stock is above the line again' })
  @ApiResult(StockAlertResponse)
  @ApiErrors('FORBIDDEN', 'INVENTORY_STOCK_ALERT_NOT_FOUND')
  @RequirePermissions('inventory.alert')
  acknowledge(@CurrentStaff() actor: StaffActor, @Param('stockAlertId') id: string): Promise<StockAlertResponse> {
    return this.alerts.acknowledge(actor, id);
  }
}
