import { Controller, Get, Injectable, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor as Actor } from '../../common/auth/actor';
import { CurrentStaff, RequirePermissions } from '../../common/auth/decorators';
import { TransactionHost } from '../../common/db/transaction-host';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { pageOf } from '../../common/http/pagination';
import { AuditRepository } from './audit.repository';
import { AuditLogPageResponse, ListAuditQuery } from './dto/audit.dto';

@Injectable()
export class AuditQueryService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditRepository,
  ) {}

  async list(actor: Actor, q: ListAuditQuery): Promise<AuditLogPageResponse> {
    const [rows, total] = await this.audit.list(this.tx.manager, {
      ...q,
      storeIds: actor.scope === 'chain' ? null : actor.storeIds,
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    return pageOf(
      rows.map((a) => ({
        id: String(a.id),
        at: a.at.toISOString(),
        actorKind: a.actorKind,
        actorId: a.actorId,
        actorName: a.actorName,
        storeId: a.storeId,
        action: a.action,
        entityType: a.entityType,
        entityId: a.entityId,
        before: a.before,
        after: a.after,
        reason: a.reason,
        requestId: a.requestId,
      })),
      total,
      q,
    );
  }
}

@ApiTags('audit')
@Controller('audit-logs')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get()
  @ApiOperation({ summary: 'Search the audit log (操作日志): who changed what, when, before and after' })
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('audit.read')
  @ApiResult(AuditLogPageResponse)
  list(@CurrentStaff() actor: Actor, @Query() q: ListAuditQuery): Promise<AuditLogPageResponse> {
    return this.audit.list(actor, q);
  }
}
