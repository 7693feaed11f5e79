import 'reflect-metadata';
import { loadConfig } from './config/config';
import { migrate, openDataSource } from './db/data-source';
import { ensureDatabase, startEmbeddedPostgres, withDatabase, type RunningPostgres } from './db/embedded';
import { ReconcileService } from './modules/ledger/reconcile.service';

/**
 * Operator commands against the configured database (DATABASE_URL, or the embedded one in
 * PG_DATA_DIR when the API is not running).
 *   reconcile         run the ledger invariant checks; exit 1 when any is violated
 *   wechat-simulator  print, as JSON, the merchant and mini-program the API will use, so that
 *                     `npm start` can register them with the local WeChat simulator
 */
async function main(): Promise<void> {
  const command = process.argv[2];
  if (command === 'wechat-simulator') return printWechatRegistration();
  if (command !== 'reconcile') {
    console.error('usage: node apps/api/dist/cli.js reconcile|wechat-simulator');
    process.exit(2);
  }
  const config = loadConfig();
  let pg: RunningPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    pg = await startEmbeddedPostgres({ dataDir: config.embeddedPg.dataDir, port: config.embeddedPg.port, persistent: true });
    await ensureDatabase(pg.serverUrl, 'chaincard');
    url = withDatabase(pg.serverUrl, 'chaincard');
  }
  // Same schema as the code that checks it: bring the database up to date first, as start does.
  await migrate(url);
  const ds = await openDataSource(url, 1);
  try {
    const report = await ds.transaction('REPEATABLE READ', (m) => new ReconcileService().run(m));
    for (const c of report.checks) {
      console.log(`${c.violations === 0 ? '✓' : '✗'} ${c.name.padEnd(32)} ${c.violations === 0 ? 'holds' : `${c.violations} violation(s)`}  — ${c.description}`);
      for (const s of c.samples.slice(0, 5)) console.log(`    ${JSON.stringify(s)}`);
    }
    console.log(report.ok ? 'reconcile: every balance is accounted for' : 'reconcile: VIOLATIONS FOUND');
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await ds.destroy();
    await pg?.stop();
  }
}

/** What a merchant registers with WeChat (here: with the simulator): its certificate, APIv3 key, AppID and secret. */
function printWechatRegistration(): void {
  const { wechat } = loadConfig();
  console.log(
    JSON.stringify({
      development: wechat.development,
      payBase: wechat.pay?.baseUrl ?? null,
      apiBase: wechat.miniProgram?.apiBase ?? null,
      app: wechat.miniProgram ? { appid: wechat.miniProgram.appId, secret: wechat.miniProgram.appSecret, name: 'ChainCard 会员' } : null,
      merchant: wechat.pay
        ? { mchid: wechat.pay.mchid, name: 'ChainCard 开发商户', appids: [wechat.pay.appId], apiV3Key: wechat.pay.apiV3Key, certificatePem: wechat.pay.certificatePem, refundNotifyUrl: wechat.pay.notifyUrl }
        : null,
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
