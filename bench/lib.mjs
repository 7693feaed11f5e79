// Shared set-up for benchmarks: an embedded PostgreSQL in a temp folder, the API built in
// apps/api/dist booted exactly as production boots it, and timing helpers. Benchmarks print
// figures and ratios against a baseline measured in the same run; they assert nothing.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

const require = createRequire(import.meta.url);
/** A module of the built API (apps/api/dist). */
export const dist = (p) => require(join(import.meta.dirname, '..', 'apps', 'api', 'dist', p));

export const pg = require('pg');
export const { from: copyFrom } = require('pg-copy-streams');

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function startSystem({ env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'chaincard-bench-'));
  const { startEmbeddedPostgres, ensureDatabase, withDatabase } = dist('db/embedded.js');
  // Its own temp folder: initdb runs as the postgres user and cannot enter our 0700 one.
  const pgDir = mkdtempSync(join(tmpdir(), 'chaincard-bench-pg-'));
  const server = await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort(), persistent: false });
  await ensureDatabase(server.serverUrl, 'bench');
  const url = withDatabase(server.serverUrl, 'bench');
  const { migrate } = dist('db/data-source.js');
  await migrate(url);
  const { loadConfig } = dist('config/config.js');
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_DATA: 'false', JWT_SECRET: 'b'.repeat(40), DB_POOL_SIZE: '20', ...env }, dir);
  const { createApp } = dist('app.factory.js');
  const { app } = await createApp(config, url);
  const { seedBaseline } = dist('db/seed/seed.js');
  const { DataSource } = createRequire(join(import.meta.dirname, '..', 'apps', 'api', 'package.json'))('typeorm');
  await seedBaseline(app.get(DataSource));
  const port = await freePort();
  await app.listen(port, '127.0.0.1');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    url,
    base: `http://127.0.0.1:${port}/api`,
    app,
    db: client,
    async close() {
      await client.end();
      await app.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An HQ owner and a store, signed in. */
export async function ownerSession(sys) {
  const { hashPassword } = dist('common/auth/password.js');
  const [{ id: storeId }] = (await sys.db.query(`INSERT INTO store (code, name, city) VALUES ('BENCH', '基准店', '上海') RETURNING id`)).rows;
  const [{ id }] = (await sys.db.query(`INSERT INTO staff (username, name, password_hash) VALUES ('bench.owner', '基准', $1) RETURNING id`, [await hashPassword('Bench1234')])).rows;
  await sys.db.query(`INSERT INTO staff_role (staff_id, role_id) SELECT $1, id FROM role WHERE code = 'owner'`, [id]);
  const res = await fetch(`${sys.base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'bench.owner', password: 'Bench1234' }) });
  const body = await res.json();
  return { storeId, headers: { authorization: `Bearer ${body.accessToken}`, 'content-type': 'application/json' } };
}

export function percentiles(samplesMs) {
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  return { n: s.length, p50: at(50), p99: at(99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

export async function time(fn) {
  const t = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, result };
}

export const fmt = (ms) => `${ms.toFixed(2)} ms`;
