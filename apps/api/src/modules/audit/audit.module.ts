import { Module } from '@nestjs/common';
import { AuditController, AuditQueryService } from './audit.controller';
import { AuditRepository } from './audit.repository';

@Module({ controllers: [AuditController], providers: [AuditQueryService, AuditRepository] })
export class AuditModule {}
