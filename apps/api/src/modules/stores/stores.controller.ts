import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor as Actor } from '../../common/auth/actor';
import { CurrentStaff, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { CreateStoreRequest, ListStoresQuery, StorePageResponse, StoreResponse, UpdateStoreRequest } from './dto/store.dto';
import { StoresService } from './stores.service';

@ApiTags('stores')
@Controller('stores')
export class StoresController {
  constructor(private readonly stores: StoresService) {}

  @Get()
  @ApiOperation({ summary: 'List the stores the caller reaches (门店列表)' })
  @ApiErrors('UNAUTHENTICATED', 'FORBIDDEN')
  @RequirePermissions('store.read')
  @ApiResult(StorePageResponse)
  list(@CurrentStaff() actor: Actor, @Query() q: ListStoresQuery): Promise<StorePageResponse> {
    return this.stores.list(actor, q);
  }

  @Get(':storeId')
  @ApiOperation({ summary: 'One store' })
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('store.read')
  @ApiResult(StoreResponse)
  get(@Param('storeId') storeId: string): Promise<StoreResponse> {
    return this.stores.get(storeId);
  }

  @Post()
  @ApiOperation({ summary: 'Create a store (HQ only)' })
  @ApiErrors('FORBIDDEN', 'STORE_CODE_TAKEN')
  @RequirePermissions('store.write')
  @RequireChainScope()
  @ApiResult(StoreResponse, 201)
  create(@Body() body: CreateStoreRequest): Promise<StoreResponse> {
    return this.stores.create(body);
  }

  @Patch(':storeId')
  @ApiOperation({ summary: 'Edit a store (HQ only)' })
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND', 'STORE_CODE_TAKEN')
  @RequirePermissions('store.write')
  @RequireChainScope()
  @ApiResult(StoreResponse)
  update(@Param('storeId') storeId: string, @Body() body: UpdateStoreRequest): Promise<StoreResponse> {
    return this.stores.update(storeId, body);
  }
}
