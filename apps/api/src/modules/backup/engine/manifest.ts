import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Checksum, SequenceState } from '../catalog.repository';
import type { BackupTrigger } from '../entities/backup.entity';

/** The first record of every backup, inside the encryption (so it is authenticated with the data). */
export interface BackupManifest {
  format: 'chaincard-backup';
  formatVersion: 1;
  createdAt: string;
  trigger: BackupTrigger;
  appVersion: string;
  /** Newest applied migration: a restore refuses a backup whose schema the code does not know. */
  schemaVersion: string;
  migrations: string[];
  database: string;
  serverVersion: string;
  /**
   * HMAC of a constant under MEMBER_PII_KEY: tells at restore time whether the encrypted ID-card
   * numbers can be read with the configured key, without revealing the key.
   */
  piiKeyFingerprint: string | null;
  /** In load order: parents before children. */
  tables: { name: string; columns: string[]; rows: number }[];
  sequences: SequenceState[];
  checksums: Checksum[];
}

export function piiKeyFingerprint(piiKey: Buffer): string | null {
  return piiKey.length ? createHmac('sha256', piiKey).update('chaincard pii key fingerprint v1').digest('hex').slice(0, 16) : null;
}

let cachedVersion: string | undefined;

/** The API's version from its package.json, found from this file in src/ (tests) or dist/ (builds). */
export function appVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@chaincard/api') return (cachedVersion = pkg.version ?? 'unknown');
    }
    dir = dirname(dir);
  }
  return (cachedVersion = 'unknown');
}
