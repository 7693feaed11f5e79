import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Chromium from CHROMIUM_PATH, else /usr/bin/chromium; installed with apt-get when missing and root. */
export function findChromium(): string {
  const given = process.env.CHROMIUM_PATH;
  if (given) {
    if (!existsSync(given)) throw new Error(`CHROMIUM_PATH=${given} does not exist`);
    return given;
  }
  const path = '/usr/bin/chromium';
  if (existsSync(path)) return path;
  if (process.getuid?.() === 0) {
    const r = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk'], { stdio: 'inherit' });
    if (r.status === 0 && existsSync(path)) return path;
  }
  throw new Error('The member app e2e tests need Chromium: `apt-get install -y chromium fonts-noto-cjk` (as root), or set CHROMIUM_PATH to a Chromium binary.');
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: ARGS, headless: true });
}
