import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { MemberActor, StaffActor } from '../../common/auth/actor';
import { CurrentMember, CurrentStaff, MemberRoute, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { pageOf } from '../../common/http/pagination';
import { ListMembersQuery } from './dto/member.dto';
import {
  AnonymiseRequest,
  AnonymiseResponse,
  ImportErrorPageResponse,
  ImportUploadQuery,
  ListImportsQuery,
  MemberImportPageResponse,
  MemberImportResponse,
  MergeMembersRequest,
  MergeMembersResponse,
  MyDeletionRequest,
  PersonalDataResponse,
} from './dto/member-data.dto';
import type { MemberImportEntity } from './import/member-import.entity';
import { MemberImportRepository } from './import/member-import.repository';
import { MemberImportService } from './import/member-import.service';
import { MemberDataService } from './member-data.service';

@ApiTags('members')
@Controller('members')
export class MemberDataController {
  constructor(
    private readonly data: MemberDataService,
    private readonly importer: MemberImportService,
    private readonly imports: MemberImportRepository,
    private readonly tx: TransactionHost,
  ) {}

  @Post('imports')
  @ApiOperation({ summary: 'Upload a CSV or XLSX of members (with opening balances and points) to import in the background (会员导入)' })
  @ApiConsumes('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiResult(MemberImportResponse, 201)
  @ApiErrors('MEMBER_IMPORT_FORMAT', 'MEMBER_IMPORT_TOO_LARGE', 'MEMBER_IMPORT_EMPTY', 'STORE_NOT_FOUND')
  @RequirePermissions('member.import')
  async upload(@CurrentStaff() actor: StaffActor, @Req() req: Request, @Query() q: ImportUploadQuery): Promise<MemberImportResponse> {
    return toImportResponse(await this.importer.upload(actor, req, q));
  }

  @Get('imports')
  @ApiOperation({ summary: 'Member imports with their progress' })
  @ApiResult(MemberImportPageResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('member.import')
  async list(@CurrentStaff() actor: StaffActor, @Query() q: ListImportsQuery): Promise<MemberImportPageResponse> {
    const [rows, total] = await this.imports.list(this.tx.manager, actor.scope === 'chain' ? null : actor.storeIds, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(rows.map(toImportResponse), total, q);
  }

  @Get('imports/:importId')
  @ApiOperation({ summary: 'Progress of one import: rows done / total, imported, failed' })
  @ApiResult(MemberImportResponse)
  @ApiErrors('MEMBER_IMPORT_NOT_FOUND')
  @RequirePermissions('member.import')
  async get(@Param('importId') importId: string): Promise<MemberImportResponse> {
    const job = await this.imports.findById(this.tx.manager, importId);
    if (!job) throw new AppError('MEMBER_IMPORT_NOT_FOUND');
    return toImportResponse(job);
  }

  @Get('imports/:importId/errors')
  @ApiOperation({ summary: 'Rows that could not be imported, with their line numbers and reasons' })
  @ApiResult(ImportErrorPageResponse)
  @ApiErrors('MEMBER_IMPORT_NOT_FOUND')
  @RequirePermissions('member.import')
  async errors(@Param('importId') importId: string, @Query() q: ListImportsQuery): Promise<ImportErrorPageResponse> {
    const [rows, total] = await this.imports.errors(this.tx.manager, importId, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(rows, total, q);
  }

  @Get('export.xlsx')
  @ApiOperation({ summary: 'Export members matching the filters as XLSX, streamed (ID cards masked)' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiResult(PersonalDataResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('member.export')
  export(@CurrentStaff() actor: StaffActor, @Query() q: ListMembersQuery, @Res() res: Response): Promise<void> {
    return this.data.exportXlsx(actor, q, res);
  }

  @Post(':memberId/merge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Merge a duplicate member into this one: balances, cards, history move over (HQ)' })
  @ApiResult(MergeMembersResponse)
  @ApiErrors('MEMBER_NOT_FOUND', 'MEMBER_MERGE_SAME', 'MEMBER_MERGED', 'MEMBER_NOT_ACTIVE', 'MEMBER_MERGE_CONFLICT')
  @RequirePermissions('member.merge')
  @RequireChainScope()
  merge(@Param('memberId') memberId: string, @Body() body: MergeMembersRequest): Promise<MergeMembersResponse> {
    return this.data.merge(memberId, body.duplicateMemberId, body.reason);
  }

  @Get(':memberId/personal-data')
  @ApiOperation({ summary: 'Everything held about a member, for a PIPL access request (HQ)' })
  @ApiResult(PersonalDataResponse)
  @ApiErrors('MEMBER_NOT_FOUND')
  @RequirePermissions('member.delete')
  @RequireChainScope()
  personalData(@Param('memberId') memberId: string): Promise<PersonalDataResponse> {
    return this.data.personalData(memberId);
  }

  @Post(':memberId/anonymise')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a member’s personal data on request; ledgers are kept (HQ)' })
  @ApiResult(AnonymiseResponse)
  @ApiErrors('MEMBER_NOT_FOUND', 'MEMBER_HAS_BALANCE', 'MEMBER_NOT_ACTIVE')
  @RequirePermissions('member.delete')
  @RequireChainScope()
  anonymise(@CurrentStaff() actor: StaffActor, @Param('memberId') memberId: string, @Body() body: AnonymiseRequest): Promise<AnonymiseResponse> {
    return this.data.anonymise(memberId, { reason: body.reason, forfeitBonusAndPoints: body.forfeitBonusAndPoints ?? false, actor: `staff:${actor.id}` });
  }
}

@ApiTags('me')
@Controller('me')
export class MyDataController {
  constructor(private readonly data: MemberDataService) {}

  @Get('personal-data')
  @MemberRoute()
  @ApiOperation({ summary: 'Download everything held about me (member app, PIPL)' })
  @ApiResult(PersonalDataResponse)
  @ApiErrors('UNAUTHENTICATED')
  personalData(@CurrentMember() member: MemberActor): Promise<PersonalDataResponse> {
    return this.data.personalData(member.id);
  }

  @Post('deletion')
  @MemberRoute()
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete my account and personal data (member app, PIPL)' })
  @ApiResult(AnonymiseResponse)
  @ApiErrors('MEMBER_HAS_BALANCE')
  deleteMe(@CurrentMember() member: MemberActor, @Body() body: MyDeletionRequest): Promise<AnonymiseResponse> {
    return this.data.anonymise(member.id, { reason: '会员本人申请注销', forfeitBonusAndPoints: body.forfeitBonusAndPoints ?? false, actor: `member:${member.id}` });
  }
}

function toImportResponse(j: MemberImportEntity): MemberImportResponse {
  return {
    id: j.id,
    format: j.format,
    fileName: j.fileName,
    storeId: j.storeId,
    status: j.status,
    rowsTotal: j.rowsTotal,
    rowsDone: j.rowsDone,
    rowsImported: j.rowsImported,
    rowsFailed: j.rowsFailed,
    progressPercent: j.status === 'done' ? 100 : j.rowsTotal ? Math.floor((j.rowsDone * 100) / j.rowsTotal) : 0,
    failure: j.failure,
    createdAt: j.createdAt.toISOString(),
    finishedAt: j.finishedAt ? j.finishedAt.toISOString() : null,
  };
}
