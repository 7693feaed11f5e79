#!/usr/bin/env node
// The README's two commands, on a machine with only Node 20 and npm:
//   npm start   install, build, start embedded PostgreSQL, migrate, load demo data, serve the API
//               and the member app's H5 build at /member/
//   npm test    install, type-check, build the member app (weapp + H5), run every test of the
//               workspace (what .ci/run calls)
//   npm run backup | restore | verify-backup | export | reconcile
//               install, build, then the operator command of apps/api/dist/cli.js
//   npm run sim install, build and start the local WeChat simulator (packages/wechat-sim)
// pnpm is fetched through npx at the version pinned in package.json's packageManager field.
import { spawnSync, spawn } from 'node:child_process';
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.replace(/^pnpm@/, '');
const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`ChainCard needs Node 20 or newer (found ${process.version}).`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env, ...opts });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
  return Date.now() - t;
}

const pnpm = (...args) => run('npx', ['-y', `pnpm@${pnpmVersion}`, ...args]);

function install() {
  // A lockfile that does not match package.json fails the install instead of drifting silently.
  const frozen = existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
  const ms = pnpm('install', ...frozen, '--reporter=append-only');
  console.log(`✓ dependencies installed in ${(ms / 1000).toFixed(1)} s`);
}

function build() {
  const ms = pnpm('--filter', '@chaincard/api...', '--filter', '@chaincard/wechat-sim', 'run', 'build');
  console.log(`✓ built in ${(ms / 1000).toFixed(1)} s`);
}

/**
 * Development talks to the local WeChat simulator: start it (state and keys in .data/wechat-sim),
 * then register the API's development merchant and mini-program with it, as a merchant registers
 * its certificate and APIv3 key with WeChat. Skipped when the environment names another WeChat.
 */
async function startWechatSimulator() {
  const own = ['WECHAT_PAY_BASE', 'WECHAT_API_BASE', 'WECHATPAY_MCHID', 'WECHAT_APP_ID'].filter((v) => process.env[v]);
  if (own.length || process.env.NODE_ENV === 'production') {
    console.log(`WeChat: using ${own.join(', ') || 'production settings'} from the environment (no simulator)`);
    return null;
  }
  const r = spawnSync(process.execPath, ['apps/api/dist/cli.js', 'wechat-simulator'], { cwd: root, env: process.env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wechat-simulator registration: ${r.stderr}`);
  const reg = JSON.parse(r.stdout.trim().split('\n').pop());
  const url = new URL(reg.payBase ?? 'http://127.0.0.1:4010');
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', 'packages/wechat-sim/dist/main.js', '--port', url.port || '4010', '--host', url.hostname, '--state', '.data/wechat-sim/state.json', '--keys-dir', '.data/wechat-sim/keys', '--quiet'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: process.env },
  );
  const base = url.origin;
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`${base}/__control/merchants`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (i > 100 || child.exitCode !== null) throw new Error(`the WeChat simulator did not start on ${base}`);
    await new Promise((res) => setTimeout(res, 100));
  }
  const post = async (path, body) => {
    const res = await fetch(`${base}/__control${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`simulator ${path}: ${res.status} ${await res.text()}`);
  };
  if (reg.app) await post('/apps', reg.app);
  if (reg.merchant) await post('/merchants', reg.merchant);
  console.log(`✓ WeChat simulator on ${base} (control API ${base}/__control, pay sheet ${base}/pay-sheet); merchant ${reg.merchant?.mchid ?? '-'}, mini-program ${reg.app?.appid ?? '-'}`);
  return child;
}

// The member app's H5 build, which the API serves at /member/. Rebuilt only when a source file is
// newer than the last build (it takes a minute or two).
function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(path) : st.mtimeMs);
  }
  return newest;
}
function buildMemberH5({ always = false } = {}) {
  const member = join(root, 'apps', 'member');
  const index = join(member, 'dist', 'h5', 'index.html');
  const sources = Math.max(newestMtime(join(member, 'src')), newestMtime(join(member, 'config')), newestMtime(join(root, 'packages', 'shared', 'src')));
  if (!always && existsSync(index) && statSync(index).mtimeMs > sources) return;
  const ms = pnpm('--filter', '@chaincard/member', 'run', 'build:h5');
  console.log(`✓ member app (H5) built in ${(ms / 1000).toFixed(1)} s`);
}

const command = process.argv[2];
if (command === 'start') {
  install();
  build();
  buildMemberH5();
  const sim = await startWechatSimulator();
  const child = spawn(process.execPath, ['--enable-source-maps', 'apps/api/dist/main.js'], { cwd: root, stdio: 'inherit', env: process.env });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  // `kill <npm pid>` ends npm without passing the signal on: when our parent is gone, stop the API
  // (and with it the embedded PostgreSQL) instead of leaving them orphaned.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) child.kill('SIGTERM');
  }, 1000).unref();
  child.on('exit', (code) => {
    sim?.kill('SIGTERM');
    process.exit(code ?? 0);
  });
} else if (command === 'test') {
  install();
  const tc = pnpm('-r', '--workspace-concurrency=1', 'run', 'typecheck');
  console.log(`✓ type-checked in ${(tc / 1000).toFixed(1)} s`);
  pnpm('--filter', '@chaincard/shared', 'run', 'build');
  // The member app: the weapp build with its main-package size against WeChat's 2 MB, and the H5
  // build once, which the member e2e tests drive in Chromium.
  const weapp = pnpm('--filter', '@chaincard/member', 'run', 'build:weapp');
  console.log(`✓ member app (weapp) built in ${(weapp / 1000).toFixed(1)} s`);
  buildMemberH5({ always: true });
  run('npx', ['-y', `pnpm@${pnpmVersion}`, 'exec', 'jest', '--ci', ...process.argv.slice(3)]);
} else if (command === 'sim') {
  install();
  pnpm('--filter', '@chaincard/wechat-sim', 'run', 'build');
  // State and the demo merchant's keys persist in .data/wechat-sim unless flags say otherwise.
  const args = process.argv.slice(3);
  const defaults = [];
  if (!args.some((a) => a.startsWith('--state'))) defaults.push('--state', '.data/wechat-sim/state.json');
  if (!args.some((a) => a.startsWith('--keys-dir'))) defaults.push('--keys-dir', '.data/wechat-sim/keys');
  const child = spawn(process.execPath, ['--enable-source-maps', 'packages/wechat-sim/dist/main.js', ...defaults, ...args], { cwd: root, stdio: 'inherit', env: process.env });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  // As for `start`: when npm is killed without passing the signal on, stop the simulator too.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) child.kill('SIGTERM');
  }, 1000).unref();
  child.on('exit', (code) => process.exit(code ?? 0));
} else if (command === 'bench') {
  install();
  build();
  run('npx', ['-y', `pnpm@${pnpmVersion}`, 'exec', 'node', 'bench/run.mjs', ...process.argv.slice(3)]);
} else if (command === 'cli') {
  install();
  build();
  const r = spawnSync(process.execPath, ['--enable-source-maps', 'apps/api/dist/cli.js', ...process.argv.slice(3)], { cwd: root, stdio: 'inherit', env: process.env });
  process.exit(r.status ?? 1);
} else {
  console.error('usage: node scripts/chaincard.mjs start|test|sim|bench|cli <command>');
  process.exit(2);
}
