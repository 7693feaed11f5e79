import { Controller, Get, Module } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../../common/auth/decorators';
import { ApiResult } from '../../common/http/api-error.decorator';
import { AppError } from '../../common/errors/app-error';

class HealthResponse {
  @ApiProperty({ example: 'ok' }) status!: 'ok';
  @ApiProperty({ example: 'ok' }) database!: 'ok';
  @ApiProperty({ description: 'Newest applied migration' }) schema!: string;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and database check' })
  @ApiResult(HealthResponse)
  async check(): Promise<HealthResponse> {
    try {
      const rows: { name: string }[] = await this.dataSource.query('SELECT name FROM schema_migration ORDER BY id DESC LIMIT 1');
      return { status: 'ok', database: 'ok', schema: rows[0]?.name ?? 'none' };
    } catch {
      throw new AppError('SERVICE_UNAVAILABLE', { database: 'unreachable' });
    }
  }
}

@Module({ controllers: [HealthController] })
export class HealthModule {}
