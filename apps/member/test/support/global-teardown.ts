import type { RunningPostgres } from '../../../api/src/db/embedded';
import { dropDatabase } from '../../../api/test/support/global-setup';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__CHAINCARD_MEMBER_PG__ as RunningPostgres | undefined;
  if (pg) {
    await pg.stop();
    return;
  }
  const serverUrl = process.env.CHAINCARD_MEMBER_E2E_SERVER_URL;
  const name = process.env.CHAINCARD_MEMBER_E2E_DATABASE;
  if (serverUrl && name) await dropDatabase(serverUrl, name);
}
