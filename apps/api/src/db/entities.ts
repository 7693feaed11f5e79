import { IdempotencyKeyEntity } from '../common/idempotency/idempotency-key.entity';
import { JobRunEntity } from '../common/jobs/job.entity';
import { CardEntity, CardEventEntity, CardReturnEntity, CardSettingsEntity, MemberCodeKeyEntity, MemberCodeUseEntity } from '../modules/cards/entities/card.entity';
import { AuditLogEntity } from '../modules/audit/entities/audit-log.entity';
import { LoginAttemptEntity, RefreshTokenEntity } from '../modules/auth/entities/auth.entity';
import { AccountEntity, LedgerEntryEntity } from '../modules/ledger/entities/ledger.entity';
import { MemberAttributeDefEntity, MemberEntity } from '../modules/members/entities/member.entity';
import { MemberImportEntity, MemberImportErrorEntity } from '../modules/members/import/member-import.entity';
import { PayPasswordGuardEntity } from '../modules/members/entities/pay-password-guard.entity';
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
  MemberImportEntity,
  MemberImportErrorEntity,
  JobRunEntity,
  PayPasswordGuardEntity,
  CardEntity,
  CardEventEntity,
  CardReturnEntity,
  CardSettingsEntity,
  MemberCodeKeyEntity,
  MemberCodeUseEntity,
];
