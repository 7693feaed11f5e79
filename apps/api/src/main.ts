import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createApp } from './app.factory';
import { ConfigError, loadConfig, type AppConfig } from './config/config';
import { migrate } from './db/data-source';
import { ensureDatabase, startEmbeddedPostgres, withDatabase, type RunningPostgres } from './db/embedded';
import { DEMO_ACCOUNTS, DEMO_MEMBERS, DEMO_STORES, seedBaseline, seedDemo, seedFirstOwner } from './db/seed/seed';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const started = Date.now();
  let pg: RunningPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    pg = await startEmbeddedPostgres({ dataDir: config.embeddedPg.dataDir, port: config.embeddedPg.port, persistent: true });
    await ensureDatabase(pg.serverUrl, 'chaincard');
    url = withDatabase(pg.serverUrl, 'chaincard');
  }
  const applied = await migrate(url);
  const { app, logger } = await createApp(config, url);
  const ds = app.get(DataSource);
  await seedBaseline(ds);
  const demoLoaded = config.demoData ? await seedDemo(app) : false;
  const firstOwner = config.demoData ? null : await seedFirstOwner(ds);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.write('info', 'shutting down', { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await pg?.stop();
    process.exit(0);
  };
  // SIGHUP too: a closed terminal must not leave the embedded PostgreSQL running.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void shutdown(signal));

  await app.listen(config.port, config.host);
  const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  logger.write('info', 'api started', { url: base, embeddedPostgres: !!pg, migrationsApplied: applied, demoLoaded, bootMs: Date.now() - started });

  const lines = [
    '',
    `ChainCard API   ${base}/api`,
    `OpenAPI docs    ${base}/api/docs   (JSON: ${base}/api/docs-json)`,
    `Database        ${pg ? `embedded PostgreSQL, data in ${config.embeddedPg.dataDir}` : 'DATABASE_URL'}`,
    `WeChat          ${
      config.wechat.pay || config.wechat.miniProgram
        ? `${config.wechat.development ? 'local simulator ' : ''}${config.wechat.pay?.baseUrl ?? config.wechat.miniProgram?.apiBase}` +
          (config.wechat.development ? ` (development merchant ${config.wechat.pay?.mchid}, mini-program ${config.wechat.miniProgram?.appId}; log a member in: POST {simulator}/__control/wx-login, then POST /api/auth/wechat/login)` : '')
        : 'not configured (WeChat sign-in and WeChat Pay are off)'
    }`,
  ];
  if (config.demoData) {
    lines.push(`Demo chain      ${DEMO_STORES.map((s) => `${s.code} ${s.name}`).join(' · ')}`, 'Demo accounts   (sign in at POST /api/auth/login)');
    for (const a of DEMO_ACCOUNTS) lines.push(`  ${a.role.padEnd(14)} ${a.username.padEnd(10)} ${a.password.padEnd(14)} ${a.stores.join(',') || 'all stores'}`);
    lines.push('Demo members    (search by phone: GET /api/members?phone=…; GET /api/reconcile checks every balance)');
    for (const d of DEMO_MEMBERS) lines.push(`  ${d.phone}  ${d.store}  ${d.name}  ${d.story}${d.cardNo ? ` (卡号 ${d.cardNo})` : ''}`);
  }
  if (firstOwner) lines.push(`First HQ account (shown once): ${firstOwner.username} / ${firstOwner.password}`);
  lines.push('');
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
