import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Client } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { ensureDatabase, withDatabase } from '../../src/db/embedded';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  ds: DataSource;
  document: OpenAPIObject;
  config: AppConfig;
  databaseUrl: string;
  close(): Promise<void>;
}

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';

/** A fresh database copied from the migrated template, and the API exactly as production builds it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.CHAINCARD_TEST_SERVER_URL;
  const template = process.env.CHAINCARD_TEST_TEMPLATE;
  if (!serverUrl || !template) throw new Error('global setup did not run: use the "api" jest project');
  const name = `${template}_t${randomBytes(5).toString('hex')}`;
  await ensureDatabase(serverUrl, name, template);
  return {
    url: withDatabase(serverUrl, name),
    drop: async () => {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => c.end());
    },
  };
}

let current: TestApp | undefined;

/** The app the running test file created last (factories that need its services use it). */
export function currentTestApp(): TestApp {
  if (!current) throw new Error('createTestApp() has not run in this test file');
  return current;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig(
    { NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent', DEMO_DATA: 'false', DB_POOL_SIZE: '20', ...env },
    mkdtempSync(join(tmpdir(), 'chaincard-test-')),
  );
  const { app, document } = await createApp(config, db.url);
  await app.init();
  current = {
    app,
    http: request(app.getHttpServer()),
    ds: app.get(DataSource),
    document,
    config,
    databaseUrl: db.url,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
  return current;
}
