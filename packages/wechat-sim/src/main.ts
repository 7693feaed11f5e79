#!/usr/bin/env node
// Starts the simulator on its own:
//   node packages/wechat-sim/dist/main.js [--port 4010] [--host 127.0.0.1] [--seed demo]
//     [--state .data/wechat-sim/state.json] [--keys-dir .data/wechat-sim/keys]
//     [--public-base-url URL] [--platform-mode certificate|public_key]
//     [--notify-schedule 1000,2000,5000] [--allow-today-bill] [--quiet]
// Each flag also reads from WECHAT_SIM_<FLAG> (e.g. WECHAT_SIM_PORT); flags win.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWechatSim } from './server';

const FLAGS = ['port', 'host', 'seed', 'state', 'keys-dir', 'public-base-url', 'platform-mode', 'notify-schedule', 'allow-today-bill', 'quiet'] as const;
type Flag = (typeof FLAGS)[number];
const BOOLEAN: Flag[] = ['allow-today-bill', 'quiet'];

function parseArgs(argv: string[]): Partial<Record<Flag, string>> {
  const out: Partial<Record<Flag, string>> = {};
  for (const f of FLAGS) {
    const env = process.env[`WECHAT_SIM_${f.toUpperCase().replace(/-/g, '_')}`];
    if (env !== undefined && env !== '') out[f] = env;
  }
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || !(FLAGS as readonly string[]).includes(m[1])) {
      if (argv[i] === '--help' || argv[i] === '-h') {
        console.log(`usage: node dist/main.js ${FLAGS.map((f) => (BOOLEAN.includes(f) ? `[--${f}]` : `[--${f} VALUE]`)).join(' ')}`);
        process.exit(0);
      }
      console.error(`unknown argument ${argv[i]} (try --help)`);
      process.exit(2);
    }
    const flag = m[1] as Flag;
    out[flag] = m[2] ?? (BOOLEAN.includes(flag) ? 'true' : argv[++i]);
  }
  return out;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const quiet = a.quiet === 'true';
  const sim = await startWechatSim({
    port: a.port !== undefined ? Number(a.port) : 4010,
    host: a.host ?? '127.0.0.1',
    seed: a.seed,
    stateFile: a.state,
    publicBaseUrl: a['public-base-url'],
    notify: a['notify-schedule'] ? { retryScheduleMs: a['notify-schedule'].split(',').map(Number) } : undefined,
    allowTodayBill: a['allow-today-bill'] === 'true',
    log: quiet ? undefined : (line) => console.log(`[wechat-sim] ${line}`),
  });
  if (a['platform-mode']) {
    for (const m of sim.control.merchants()) sim.control.setPlatform({ mchid: m.mchid, mode: a['platform-mode'] as 'certificate' | 'public_key' });
  }
  const merchants = sim.control.merchants();
  const apps = sim.control.apps();
  if (a['keys-dir']) writeKeys(a['keys-dir'], sim.baseUrl, merchants, apps);
  console.log(`WeChat simulator on ${sim.baseUrl}`);
  for (const m of merchants) {
    console.log(`  merchant ${m.mchid} (${m.name}) appids=${m.appids.join(',')} platform=${m.platformMode}`);
    console.log(`    APIv3 key ${m.apiV3Key}; merchant cert serial ${m.merchantCertificateSerials.join(',')}`);
    console.log(`    platform cert ${m.platformCertificates.at(-1)?.serialNo}; public key ${m.platformPublicKey.id}`);
  }
  for (const app of apps) {
    console.log(`  mini-program ${app.appid} secret ${app.secret}`);
    for (const t of Object.values(app.templates)) console.log(`    template ${t.templateId} ${t.title} [${t.keywords.join(', ')}]`);
  }
  if (a['keys-dir']) console.log(`  credentials written to ${a['keys-dir']}`);
  console.log(`  pay sheet: ${sim.baseUrl}/pay-sheet?prepay_id=…   control API: ${sim.baseUrl}/__control`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void sim.close().then(() => process.exit(0));
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, stop);
}

/**
 * What a merchant downloads from the merchant platform, laid out per merchant, plus one JSON
 * summary the API's configuration can point at.
 */
function writeKeys(dir: string, baseUrl: string, merchants: ReturnType<Awaited<ReturnType<typeof startWechatSim>>['control']['merchants']>, apps: ReturnType<Awaited<ReturnType<typeof startWechatSim>>['control']['apps']>): void {
  mkdirSync(dir, { recursive: true });
  const summary = {
    baseUrl,
    merchants: merchants.map((m) => {
      const md = join(dir, m.mchid);
      mkdirSync(md, { recursive: true });
      if (m.generatedKeys) {
        writeFileSync(join(md, 'apiclient_key.pem'), m.generatedKeys.privateKeyPem, { mode: 0o600 });
        writeFileSync(join(md, 'apiclient_cert.pem'), m.generatedKeys.certificatePem);
      }
      for (const c of m.platformCertificates) writeFileSync(join(md, `wechatpay_${c.serialNo}.pem`), c.certificatePem);
      writeFileSync(join(md, 'pub_key.pem'), m.platformPublicKey.publicKeyPem);
      return {
        mchid: m.mchid,
        appids: m.appids,
        apiV3Key: m.apiV3Key,
        merchantSerialNo: m.generatedKeys?.serialNo ?? m.merchantCertificateSerials[0],
        privateKeyFile: m.generatedKeys ? join(md, 'apiclient_key.pem') : null,
        certificateFile: m.generatedKeys ? join(md, 'apiclient_cert.pem') : null,
        platformMode: m.platformMode,
        platformCertificateSerial: m.platformCertificates.at(-1)?.serialNo,
        platformPublicKeyId: m.platformPublicKey.id,
        platformPublicKeyFile: join(md, 'pub_key.pem'),
      };
    }),
    apps: apps.map((app) => ({ appid: app.appid, secret: app.secret, templates: Object.values(app.templates) })),
  };
  writeFileSync(join(dir, 'wechat-sim.json'), JSON.stringify(summary, null, 2));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
