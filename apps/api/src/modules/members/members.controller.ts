import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MemberActor, StaffActor } from '../../common/auth/actor';
import { CurrentMember, CurrentStaff, MemberRoute, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import {
  AttributeDefRequest,
  AttributeDefResponse,
  CreateMemberRequest,
  ListMembersQuery,
  MemberPageResponse,
  MemberResponse,
  UpdateAttributeDefRequest,
  UpdateMemberRequest,
  UpdateMyProfileRequest,
} from './dto/member.dto';
import { MembersService } from './members.service';

/**
 * Members are the chain's, not a store's (跨店通用): any store's staff with member.read find and
 * serve any member. Store-level data about members (what happened at which store) is scoped where
 * it is recorded.
 */
@ApiTags('members')
@Controller('members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @ApiOperation({ summary: 'Search members by phone, member number, name, tag, tier, home store (会员查询)' })
  @ApiResult(MemberPageResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('member.read')
  list(@Query() q: ListMembersQuery): Promise<MemberPageResponse> {
    return this.members.list(q);
  }

  @Get(':memberId')
  @ApiOperation({ summary: 'One member' })
  @ApiResult(MemberResponse)
  @ApiErrors('MEMBER_NOT_FOUND')
  @RequirePermissions('member.read')
  get(@Param('memberId') memberId: string): Promise<MemberResponse> {
    return this.members.get(memberId);
  }

  @Post()
  @ApiOperation({ summary: 'Register a member (办卡)' })
  @ApiResult(MemberResponse, 201)
  @ApiErrors('MEMBER_PHONE_TAKEN', 'MEMBER_ID_CARD_TAKEN', 'MEMBER_REFERRER_INVALID', 'STORE_NOT_FOUND')
  @RequirePermissions('member.write')
  create(@CurrentStaff() actor: StaffActor, @Body() body: CreateMemberRequest): Promise<MemberResponse> {
    return this.members.create(actor, body);
  }

  @Patch(':memberId')
  @ApiOperation({ summary: 'Edit a member’s profile, tags, attributes, validity or status' })
  @ApiResult(MemberResponse)
  @ApiErrors('MEMBER_NOT_FOUND', 'MEMBER_PHONE_TAKEN', 'MEMBER_ID_CARD_TAKEN', 'MEMBER_NOT_ACTIVE')
  @RequirePermissions('member.write')
  update(@Param('memberId') memberId: string, @Body() body: UpdateMemberRequest): Promise<MemberResponse> {
    return this.members.update(memberId, body);
  }
}

@ApiTags('members')
@Controller('member-attributes')
export class MemberAttributesController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @ApiOperation({ summary: 'Custom member attributes defined by HQ (自定义属性)' })
  @ApiResult([AttributeDefResponse])
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('member.read')
  list(): Promise<AttributeDefResponse[]> {
    return this.members.attributeDefs();
  }

  @Post()
  @ApiOperation({ summary: 'Define a custom member attribute (HQ)' })
  @ApiResult(AttributeDefResponse, 201)
  @ApiErrors('FORBIDDEN', 'MEMBER_ATTRIBUTE_CODE_TAKEN')
  @RequirePermissions('member.attribute.write')
  @RequireChainScope()
  create(@Body() body: AttributeDefRequest): Promise<AttributeDefResponse> {
    return this.members.createAttributeDef(body);
  }

  @Patch(':attributeId')
  @ApiOperation({ summary: 'Edit a custom member attribute (HQ)' })
  @ApiResult(AttributeDefResponse)
  @ApiErrors('FORBIDDEN', 'MEMBER_ATTRIBUTE_NOT_FOUND')
  @RequirePermissions('member.attribute.write')
  @RequireChainScope()
  update(@Param('attributeId') id: string, @Body() body: UpdateAttributeDefRequest): Promise<AttributeDefResponse> {
    return this.members.updateAttributeDef(id, body);
  }
}

/** The member's own profile, for the member mini-program. */
@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @MemberRoute()
  @ApiOperation({ summary: 'My member profile (member app)' })
  @ApiResult(MemberResponse)
  @ApiErrors('UNAUTHENTICATED')
  me(@CurrentMember() member: MemberActor): Promise<MemberResponse> {
    return this.members.get(member.id);
  }

  @Patch()
  @MemberRoute()
  @ApiOperation({ summary: 'Edit my name, gender or birthday (member app)' })
  @ApiResult(MemberResponse)
  @ApiErrors('UNAUTHENTICATED')
  update(@CurrentMember() member: MemberActor, @Body() body: UpdateMyProfileRequest): Promise<MemberResponse> {
    return this.members.updateMine(member.id, body);
  }
}
