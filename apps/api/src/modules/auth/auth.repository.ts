import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RefreshTokenEntity } from './entities/auth.entity';

export interface Counter {
  failures: number;
  locked: boolean;
}

@Injectable()
export class AuthRepository {
  async lockedUntil(m: EntityManager, keys: string[]): Promise<Date | null> {
    const rows: { locked_until: Date }[] = await m.query(
      'SELECT max(locked_until) AS locked_until FROM login_attempt WHERE key = ANY($1) AND locked_until > now()',
      [keys],
    );
    return rows[0]?.locked_until ?? null;
  }

  /**
   * Counts an attempt before the password is checked, so that a burst of parallel guesses cannot
   * all slip in before the first failure is recorded. Reaching `max` locks the key and restarts
   * the count. A success takes its attempt back (see `forgive`).
   */
  async countAttempt(m: EntityManager, key: string, max: number, windowMinutes: number, lockMinutes: number): Promise<Counter> {
    // n: this attempt's number within the window. Past the limit the key locks and the count restarts.
    const expired = 'login_attempt.window_started_at < now() - make_interval(mins => $3)';
    const n = `(CASE WHEN ${expired} THEN 1 ELSE login_attempt.failures + 1 END)`;
    const rows: { failures: number; locked_until: Date | null }[] = await m.query(
      `INSERT INTO login_attempt (key, failures, window_started_at, locked_until)
       VALUES ($1, CASE WHEN 1 > $2 THEN 0 ELSE 1 END, now(), CASE WHEN 1 > $2 THEN now() + make_interval(mins => $4) END)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN ${n} > $2 THEN 0 ELSE ${n} END,
         window_started_at = CASE WHEN ${n} > $2 OR ${expired} THEN now() ELSE login_attempt.window_started_at END,
         locked_until = CASE WHEN ${n} > $2 THEN now() + make_interval(mins => $4) ELSE login_attempt.locked_until END
       RETURNING failures, locked_until`,
      [key, max, windowMinutes, lockMinutes],
    );
    const row = rows[0];
    return { failures: row.failures, locked: !!row.locked_until && row.locked_until.getTime() > Date.now() };
  }

  async forgive(m: EntityManager, accountKey: string, ipKey: string): Promise<void> {
    await m.query('DELETE FROM login_attempt WHERE key = $1', [accountKey]);
    await m.query('UPDATE login_attempt SET failures = greatest(failures - 1, 0) WHERE key = $1', [ipKey]);
  }

  async insertRefresh(m: EntityManager, t: Pick<RefreshTokenEntity, 'staffId' | 'memberId' | 'familyId' | 'tokenHash' | 'expiresAt'>): Promise<void> {
    await m.insert(RefreshTokenEntity, t);
  }

  findRefreshForUpdate(m: EntityManager, tokenHash: string): Promise<RefreshTokenEntity | null> {
    return m.findOne(RefreshTokenEntity, { where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
  }

  async markUsed(m: EntityManager, id: string): Promise<void> {
    await m.update(RefreshTokenEntity, { id }, { usedAt: new Date() });
  }

  async revokeFamily(m: EntityManager, familyId: string): Promise<void> {
    await m.query('UPDATE refresh_token SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [familyId]);
  }

  async revokeOtherFamilies(m: EntityManager, staffId: string, keepFamilyId: string): Promise<void> {
    await m.query('UPDATE refresh_token SET revoked_at = now() WHERE staff_id = $1 AND family_id <> $2 AND revoked_at IS NULL', [
      staffId,
      keepFamilyId,
    ]);
  }

  async touchLogin(m: EntityManager, staffId: string): Promise<void> {
    await m.query('UPDATE staff SET last_login_at = now() WHERE id = $1', [staffId]);
  }

  async storesOf(m: EntityManager, storeIds: string[] | null): Promise<{ id: string; code: string; name: string }[]> {
    return storeIds === null
      ? m.query('SELECT id, code, name FROM store ORDER BY code')
      : m.query('SELECT id, code, name FROM store WHERE id = ANY($1::uuid[]) ORDER BY code', [storeIds]);
  }
}
