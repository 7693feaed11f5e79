import { IdempotencyKeyEntity } from '../common/idempotency/idempotency-key.entity';
import { JobRunEntity } from '../common/jobs/job.entity';
import {
  CountCardRedemptionEntity,
  CountCardRedemptionReversalEntity,
  CountCardTemplateEntity,
  CountCardTimerEntity,
  MemberCountCardEntity,
} from '../modules/count-cards/entities/count-card.entity';
import { CatalogSettingsEntity, CategoryEntity, ProductEntity, SkuEntity, SkuStorePriceEntity } from '../modules/catalog/entities/catalog.entity';
import { StockEntity, StockMovementEntity } from '../modules/catalog/entities/stock.entity';
import { PurchaseOrderEntity, PurchaseOrderLineEntity, PurchaseReceiptEntity, PurchaseReceiptLineEntity, PurchaseReturnEntity, PurchaseReturnLineEntity } from '../modules/inventory/entities/purchase.entity';
import { StockAlertEntity, StockAlertLineEntity } from '../modules/inventory/entities/stock-alert.entity';
import { StockIoEntity, StockIoLineEntity } from '../modules/inventory/entities/stock-io.entity';
import { StocktakeCountEntity, StocktakeEntity, StocktakeLineEntity } from '../modules/inventory/entities/stocktake.entity';
import { InventorySettingsEntity, SupplierEntity } from '../modules/inventory/entities/supplier.entity';
import { TransferEntity, TransferLineEntity } from '../modules/inventory/entities/transfer.entity';
import { CardEntity, CardEventEntity, CardReturnEntity, CardSettingsEntity, MemberCodeKeyEntity, MemberCodeUseEntity } from '../modules/cards/entities/card.entity';
import { CouponEntity, CouponIssueRunEntity, CouponTemplateEntity } from '../modules/coupons/entities/coupon.entity';
import { PricingSettingsEntity } from '../modules/pricing/entities/pricing-settings.entity';
import { FlashSaleMemberEntity, FlashSaleTakeEntity, PromotionEntity } from '../modules/promotions/entities/promotion.entity';
import { AuditLogEntity } from '../modules/audit/entities/audit-log.entity';
import { BackupRunEntity, SystemAlertEntity } from '../modules/backup/entities/backup.entity';
import { LoginAttemptEntity, RefreshTokenEntity } from '../modules/auth/entities/auth.entity';
import { AccountEntity, LedgerEntryEntity } from '../modules/ledger/entities/ledger.entity';
import { GiftEntity, GiftStockEntity, GiftStockMovementEntity, MallRedemptionEntity } from '../modules/mall/entities/mall.entity';
import { MemberAttributeDefEntity, MemberEntity } from '../modules/members/entities/member.entity';
import { MemberImportEntity, MemberImportErrorEntity } from '../modules/members/import/member-import.entity';
import {
  BirthdayGreetingEntity,
  NotificationAddressEntity,
  NotificationAttemptEntity,
  NotificationMessageEntity,
  NotificationOptOutEntity,
  NotificationSettingsEntity,
  NotificationTemplateEntity,
  WechatSubscriptionEntity,
} from '../modules/notifications/entities/notification.entity';
import {
  PointAdjustmentEntity,
  PointEarningEntity,
  PointExchangeEntity,
  PointLotEntity,
  PointLotMoveEntity,
  PointsSettingsEntity,
} from '../modules/points/entities/points.entity';
import { PayPasswordGuardEntity } from '../modules/members/entities/pay-password-guard.entity';
import { ShiftCashMovementEntity, ShiftEntity, ShiftTakingEntity } from '../modules/shifts/entities/shift.entity';
import { PermissionCatalogEntity, RoleEntity, StaffEntity } from '../modules/staff/entities/staff.entity';
import { ChainEntity, StoreEntity } from '../modules/stores/entities/store.entity';
import {
  OrderEntity,
  OrderLineEntity,
  OrderLineStaffEntity,
  OrderPaymentEntity,
  OrderPointsDebtEntity,
  OrderRefundEntity,
  OrderRefundLineEntity,
  OrderRefundPaymentEntity,
  OrderSettingsEntity,
} from '../modules/orders/entities/order.entity';
import { TicketEntity, TicketLineEntity } from '../modules/orders/entities/ticket.entity';
import {
  MemberPaidTierEntity,
  MemberSpendFactEntity,
  MemberTierChangeEntity,
  TierEntity,
  TierPurchaseEntity,
} from '../modules/tiers/entities/tier.entity';
import {
  WalletBonusInstalmentEntity,
  WalletBonusRuleEntity,
  WalletSettingsEntity,
  WalletSpendEntity,
  WalletTopUpEntity,
} from '../modules/wallet/entities/wallet.entity';
import {
  WechatAccountEntity,
  WechatNotificationEntity,
  WechatPayOrderEntity,
  WechatReconciliationEntity,
  WechatReconciliationItemEntity,
  WechatRefundEntity,
} from '../modules/wechat/entities/wechat.entity';

import { ScheduleExceptionEntity, WorkScheduleEntity } from '../modules/schedules/entities/schedule.entity';
import { BookingEntity, BookingSettingsEntity, QueueCounterEntity, QueueTicketEntity, StaffServiceEntity } from '../modules/bookings/entities/booking.entity';

import { CommissionEntryEntity, CommissionRuleEntity, StaffLevelAssignmentEntity, StaffLevelEntity } from '../modules/commission/entities/commission.entity';
import { PayrollMonthEntity, PayslipEntity, WageAdjustmentEntity, WageProfileEntity } from '../modules/payroll/entities/payroll.entity';
import { AttendanceRecordEntity, AttendanceSettingsEntity } from '../modules/attendance/entities/attendance.entity';

/** Every entity of the API; the migration drift check compares these with the migrated schema. */
export const ENTITIES = [
  ChainEntity,
  StoreEntity,
  RoleEntity,
  StaffEntity,
  RefreshTokenEntity,
  LoginAttemptEntity,
  AuditLogEntity,
  IdempotencyKeyEntity,
  PermissionCatalogEntity,
  MemberEntity,
  MemberAttributeDefEntity,
  AccountEntity,
  LedgerEntryEntity,
  MemberImportEntity,
  MemberImportErrorEntity,
  JobRunEntity,
  TierEntity,
  MemberTierChangeEntity,
  MemberPaidTierEntity,
  TierPurchaseEntity,
  MemberSpendFactEntity,
  CountCardTemplateEntity,
  MemberCountCardEntity,
  CountCardRedemptionEntity,
  CountCardRedemptionReversalEntity,
  CountCardTimerEntity,
  WalletSettingsEntity,
  WalletBonusRuleEntity,
  WalletTopUpEntity,
  WalletBonusInstalmentEntity,
  WalletSpendEntity,
  PointsSettingsEntity,
  PointLotEntity,
  PointLotMoveEntity,
  PointEarningEntity,
  PointAdjustmentEntity,
  PointExchangeEntity,
  GiftEntity,
  GiftStockEntity,
  GiftStockMovementEntity,
  MallRedemptionEntity,
  PayPasswordGuardEntity,
  CardEntity,
  CardEventEntity,
  CardReturnEntity,
  CardSettingsEntity,
  MemberCodeKeyEntity,
  MemberCodeUseEntity,
  BackupRunEntity,
  SystemAlertEntity,
  CategoryEntity,
  ProductEntity,
  SkuEntity,
  SkuStorePriceEntity,
  CatalogSettingsEntity,
  StockEntity,
  StockMovementEntity,
  ShiftEntity,
  ShiftCashMovementEntity,
  ShiftTakingEntity,
  WechatAccountEntity,
  WechatPayOrderEntity,
  WechatRefundEntity,
  WechatNotificationEntity,
  WechatReconciliationEntity,
  WechatReconciliationItemEntity,
  CouponTemplateEntity,
  CouponEntity,
  CouponIssueRunEntity,
  PromotionEntity,
  FlashSaleMemberEntity,
  FlashSaleTakeEntity,
  PricingSettingsEntity,
  WorkScheduleEntity,
  ScheduleExceptionEntity,
  BookingSettingsEntity,
  StaffServiceEntity,
  BookingEntity,
  QueueCounterEntity,
  QueueTicketEntity,
  StaffLevelEntity,
  StaffLevelAssignmentEntity,
  CommissionRuleEntity,
  CommissionEntryEntity,
  PayrollMonthEntity,
  WageProfileEntity,
  WageAdjustmentEntity,
  PayslipEntity,
  AttendanceSettingsEntity,
  AttendanceRecordEntity,
  NotificationMessageEntity,
  NotificationAttemptEntity,
  NotificationTemplateEntity,
  NotificationSettingsEntity,
  NotificationOptOutEntity,
  NotificationAddressEntity,
  WechatSubscriptionEntity,
  BirthdayGreetingEntity,
  TicketEntity,
  TicketLineEntity,
  OrderSettingsEntity,
  OrderEntity,
  OrderLineEntity,
  OrderLineStaffEntity,
  OrderPaymentEntity,
  OrderRefundEntity,
  OrderRefundLineEntity,
  OrderRefundPaymentEntity,
  OrderPointsDebtEntity,
  SupplierEntity,
  InventorySettingsEntity,
  PurchaseOrderEntity,
  PurchaseOrderLineEntity,
  PurchaseReceiptEntity,
  PurchaseReceiptLineEntity,
  PurchaseReturnEntity,
  PurchaseReturnLineEntity,
  StockIoEntity,
  StockIoLineEntity,
  TransferEntity,
  TransferLineEntity,
  StocktakeEntity,
  StocktakeLineEntity,
  StocktakeCountEntity,
  StockAlertLineEntity,
  StockAlertEntity,
];
