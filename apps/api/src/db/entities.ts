import { IdempotencyKeyEntity } from '../common/idempotency/idempotency-key.entity';
import { AuditLogEntity } from '../modules/audit/entities/audit-log.entity';
import { LoginAttemptEntity, RefreshTokenEntity } from '../modules/auth/entities/auth.entity';
import { AccountEntity, LedgerEntryEntity } from '../modules/ledger/entities/ledger.entity';
import { GiftEntity, GiftStockEntity, GiftStockMovementEntity, MallRedemptionEntity } from '../modules/mall/entities/mall.entity';
import { MemberAttributeDefEntity, MemberEntity } from '../modules/members/entities/member.entity';
import {
  PointAdjustmentEntity,
  PointEarningEntity,
  PointExchangeEntity,
  PointLotEntity,
  PointLotMoveEntity,
  PointsSettingsEntity,
} from '../modules/points/entities/points.entity';
import { PermissionCatalogEntity, RoleEntity, StaffEntity } from '../modules/staff/entities/staff.entity';
import { ChainEntity, StoreEntity } from '../modules/stores/entities/store.entity';

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
];
