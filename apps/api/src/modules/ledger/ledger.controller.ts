import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { TransactionHost } from '../../common/db/transaction-host';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { ReconcileService } from './reconcile.service';

class ReconcileCheckResponse {
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() violations!: number;
  @ApiProperty({ type: [Object] }) samples!: Record<string, unknown>[];
}

class ReconcileResponse {
  @ApiProperty() ok!: boolean;
  @ApiProperty() checkedAt!: string;
  @ApiProperty({ type: [ReconcileCheckResponse] }) checks!: ReconcileCheckResponse[];
}

@ApiTags('reconcile')
@Controller('reconcile')
export class ReconcileController {
  constructor(
    private readonly reconcile: ReconcileService,
    private readonly tx: TransactionHost,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Run the ledger invariant checks (对账): every fen and point accounted for (HQ)' })
  @ApiResult(ReconcileResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('reconcile.run')
  @RequireChainScope()
  run(): Promise<ReconcileResponse> {
    // One REPEATABLE READ snapshot, so that concurrent postings cannot make a check look broken.
    return this.tx.dataSource.transaction('REPEATABLE READ', (m) => this.reconcile.run(m));
  }
}
