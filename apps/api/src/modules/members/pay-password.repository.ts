import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import { TransactionHost } from '../../common/db/transaction-host';
import { PAY_PASSWORD_POLICY } from './domain/pay-password';

export interface GuardState {
  failures: number;
  lockedUntil: Date | null;
}

/**
 * Payment-password data: the hash on the member row and the wrong-attempt guard.
 *
 * Wrong attempts are written through a small pool of its own, in autocommit: the payment that
 * checked the password fails and rolls back, but the attempt must stay counted. A separate pool
 * (not the API's) because the caller still holds one of the API's connections while it waits for
 * this write; if every API connection were such a caller, borrowing from the same pool would
 * wait forever.
 */
@Injectable()
export class PayPasswordRepository implements OnModuleDestroy {
  private side?: Pool;

  constructor(private readonly tx: TransactionHost) {}

  private sidePool(): Pool {
    if (!this.side) {
      const url = (this.tx.dataSource.options as { url?: string }).url;
      this.side = new Pool({ connectionString: url, max: 2, application_name: 'chaincard-api-pay-password' });
    }
    return this.side;
  }

  async onModuleDestroy(): Promise<void> {
    await this.side?.end();
  }

  async setHash(m: EntityManager, memberId: string, hash: string | null): Promise<void> {
    await m.query('UPDATE member SET pay_password_hash = $2, updated_at = now() WHERE id = $1', [memberId, hash]);
  }

  async guard(m: EntityManager, memberId: string): Promise<GuardState | null> {
    const rows: { failures: number; locked_until: Date | null }[] = await m.query(
      'SELECT failures, locked_until FROM member_pay_password_guard WHERE member_id = $1',
      [memberId],
    );
    return rows[0] ? { failures: rows[0].failures, lockedUntil: rows[0].locked_until } : null;
  }

  /**
   * Counts one wrong attempt, atomically: a window opens at the first failure and lasts
   * windowMinutes; the maxFailures-th failure inside it locks for lockMinutes from that moment.
   */
  async recordFailure(memberId: string): Promise<GuardState> {
    const { maxFailures, windowMinutes, lockMinutes } = PAY_PASSWORD_POLICY;
    const inWindow = `g.window_started_at > now() - make_interval(mins => $3)`;
    const next = `CASE WHEN ${inWindow} THEN g.failures + 1 ELSE 1 END`;
    const { rows } = await this.sidePool().query<{ failures: number; locked_until: Date | null }>(
      `INSERT INTO member_pay_password_guard AS g (member_id, failures, window_started_at, locked_until)
       VALUES ($1, 1, now(), CASE WHEN 1 >= $2 THEN now() + make_interval(mins => $4) END)
       ON CONFLICT (member_id) DO UPDATE SET
         failures = ${next},
         window_started_at = CASE WHEN ${inWindow} THEN g.window_started_at ELSE now() END,
         locked_until = CASE WHEN ${next} >= $2 THEN now() + make_interval(mins => $4) ELSE g.locked_until END
       RETURNING failures, locked_until`,
      [memberId, maxFailures, windowMinutes, lockMinutes],
    );
    return { failures: rows[0].failures, lockedUntil: rows[0].locked_until };
  }

  /** A right password clears the count (outside the caller's transaction, like the failures). */
  async clearFailures(memberId: string): Promise<void> {
    await this.sidePool().query('DELETE FROM member_pay_password_guard WHERE member_id = $1', [memberId]);
  }

  async clearGuard(m: EntityManager, memberId: string): Promise<void> {
    await m.query('DELETE FROM member_pay_password_guard WHERE member_id = $1', [memberId]);
  }
}
