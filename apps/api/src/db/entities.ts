import { IdempotencyKeyEntity } from '../common/idempotency/idempotency-key.entity';
import { AuditLogEntity } from '../modules/audit/entities/audit-log.entity';
import { LoginAttemptEntity, RefreshTokenEntity } from '../modules/auth/entities/auth.entity';
import { AccountEntity, LedgerEntryEntity } from '../modules/ledger/entities/ledger.entity';
import { MemberAttributeDefEntity, MemberEntity } from '../modules/members/entities/member.entity';
import { PermissionCatalogEntity, RoleEntity, StaffEntity } from '../modules/staff/entities/staff.entity';
import { ChainEntity, StoreEntity } from '../modules/stores/entities/store.entity';
import {
  WalletBonusInstalmentEntity,
  WalletBonusRuleEntity,
  WalletSettingsEntity,
  WalletSpendEntity,
  WalletTopUpEntity,
} from '../modules/wallet/entities/wallet.entity';

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
  WalletSettingsEntity,
  WalletBonusRuleEntity,
  WalletTopUpEntity,
  WalletBonusInstalmentEntity,
  WalletSpendEntity,
];
