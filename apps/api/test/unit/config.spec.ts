import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config/config';

const cwd = () => mkdtempSync(join(tmpdir(), 'chaincard-config-'));

describe('configuration', () => {
  it('starts with defaults and a generated development secret kept across restarts', () => {
    const dir = cwd();
    const a = loadConfig({}, dir);
    expect(a).toMatchObject({ port: 3000, databaseUrl: null, demoData: true, idempotencyTtlHours: 72, bodyLimitBytes: 1024 * 1024 });
    expect(a.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({}, dir).jwtSecret).toBe(a.jwtSecret);
    expect(a.embeddedPg.dataDir).toBe(join(dir, '.data/postgres'));
  });

  it('stops with every bad variable named', () => {
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', IDEMPOTENCY_TTL_HOURS: '24', DATABASE_URL: 'mysql://x', BODY_LIMIT: '10gb', DEMO_DATA: 'maybe' }, cwd());
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'LOG_LEVEL', 'IDEMPOTENCY_TTL_HOURS', 'DATABASE_URL', 'BODY_LIMIT', 'DEMO_DATA']) expect(problems).toContain(name);
    }
  });

  it('requires a real JWT secret in production and turns demo data off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, cwd())).toThrow(/JWT_SECRET is required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' }, cwd())).toThrow(/at least 32/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40) }, cwd())).toThrow(/MEMBER_PII_KEY is required/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40), MEMBER_PII_KEY: 'c2hvcnQ=' }, cwd())).toThrow(/exactly 32 bytes/);
    const prod = loadConfig(
      { NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40), MEMBER_PII_KEY: Buffer.alloc(32, 7).toString('base64'), MEMBER_CODE_SECRET: 'c'.repeat(40), DATABASE_URL: 'postgres://db/chaincard' },
      cwd(),
    );
    expect(prod.demoData).toBe(false);
  });

  it('is documented variable by variable in the README', () => {
    const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
    for (const v of CONFIG_VARIABLES) expect({ variable: v.name, documented: readme.includes(`\`${v.name}\``) }).toEqual({ variable: v.name, documented: true });
  });
});
