import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config/config';

/**
 * docker/compose.yaml and docker/api.Dockerfile cannot be built on every machine (CI has no Docker
 * engine), so their structure is checked here: whatever these tests accept is what `docker compose
 * up` needs to start the API against its PostgreSQL.
 */

const repoRoot = resolve(__dirname, '../../../..');
const dockerDir = join(repoRoot, 'docker');
const composeFile = join(dockerDir, 'compose.yaml');
const composeText = readFileSync(composeFile, 'utf8');

type Env = Record<string, string | undefined>;
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  depends_on?: string[] | Record<string, { condition?: string }>;
  environment?: string[] | Record<string, unknown>;
  ports?: unknown[];
  volumes?: unknown[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
}
interface Compose {
  services?: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(composeText) as Compose;
const services = compose.services ?? {};

/** Compose's environment may be a map or a list of NAME=value; null values pass the host's value through. */
function environmentOf(service: Service): Record<string, string | null> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const i = entry.indexOf('=');
        return i < 0 ? [entry, null] : [entry.slice(0, i), entry.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v as string | null]));
}

/**
 * The subset of compose interpolation the file may use: $$, ${NAME}, ${NAME:-default}, ${NAME-default},
 * ${NAME:?error}, ${NAME?error}. Anything else fails the test rather than being guessed at.
 */
function interpolate(text: string, env: Env): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$/g, (match, name?: string, op?: string, arg?: string) => {
    if (match === '$$') return '$';
    if (match === '$' || !name) throw new Error(`unsupported interpolation at "${text}"`);
    const value = env[name];
    const unsetOrEmpty = value === undefined || value === '';
    switch (op) {
      case undefined:
        return value ?? '';
      case ':-':
        return unsetOrEmpty ? arg! : value!;
      case '-':
        return value === undefined ? arg! : value;
      case ':?':
        if (unsetOrEmpty) throw new Error(`required variable ${name} is missing: ${arg}`);
        return value!;
      case '?':
        if (value === undefined) throw new Error(`required variable ${name} is missing: ${arg}`);
        return value;
      default:
        throw new Error(`unsupported interpolation ${match}`);
    }
  });
}

function resolvedEnvironment(service: Service, hostEnv: Env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environmentOf(service)).map(([k, v]) => [k, v === null ? hostEnv[k] ?? '' : interpolate(v, hostEnv)]),
  );
}

const SECRET = 'x'.repeat(48);
// Every secret production requires; compose refuses to start without each.
const SECRETS = { JWT_SECRET: SECRET, MEMBER_PII_KEY: Buffer.alloc(32, 9).toString('base64'), MEMBER_CODE_SECRET: 'm'.repeat(40), BACKUP_KEY: Buffer.alloc(32, 5).toString('base64') };

/** Dockerfile instructions with continuation lines joined and comments dropped, grouped by stage. */
function dockerfileStages(text: string): { from: string; instructions: { op: string; args: string }[] }[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: { from: string; instructions: { op: string; args: string }[] }[] = [];
  for (const line of lines) {
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    const op = m[1].toUpperCase();
    const args = m[2];
    if (op === 'FROM') stages.push({ from: args, instructions: [] });
    else if (stages.length === 0 && op !== 'ARG') throw new Error(`instruction before FROM: ${line}`);
    else stages.at(-1)?.instructions.push({ op, args });
  }
  return stages;
}

describe('docker/compose.yaml', () => {
  it('parses and has the postgres and api services', () => {
    expect(compose).toBeInstanceOf(Object);
    expect(Object.keys(services).sort()).toEqual(expect.arrayContaining(['api', 'postgres']));
    expect(services.postgres.image).toMatch(/^postgres:16(-alpine)?$/);
  });

  it('builds the api from docker/api.Dockerfile with the repository root as context', () => {
    const build = services.api.build;
    expect(build).toEqual(expect.objectContaining({ context: '..', dockerfile: 'docker/api.Dockerfile' }));
    const { context, dockerfile } = build as { context: string; dockerfile: string };
    // The context is relative to the compose file, the dockerfile to the context.
    expect(resolve(dockerDir, context)).toBe(repoRoot);
    expect(existsSync(resolve(dockerDir, context, dockerfile))).toBe(true);
  });

  it('starts the api only once postgres is healthy', () => {
    const dependsOn = services.api.depends_on;
    expect(Array.isArray(dependsOn)).toBe(false); // the list form cannot carry a condition
    expect((dependsOn as Record<string, { condition?: string }>).postgres?.condition).toBe('service_healthy');
  });

  it('gives the api production settings, a DATABASE_URL on the postgres service and a required JWT_SECRET', () => {
    const env = environmentOf(services.api);
    expect(env.NODE_ENV).toBe('production');
    expect(env.DATABASE_URL).toMatch(/^postgres(ql)?:\/\/[^@]+@postgres:5432\/\S+$/);
    // ":?" makes compose refuse to start when JWT_SECRET is unset or empty; no default may exist.
    expect(env.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?[^}]+\}$/);
    expect(() => resolvedEnvironment(services.api, {})).toThrow(/JWT_SECRET/);
    expect(() => resolvedEnvironment(services.api, { JWT_SECRET: '' })).toThrow(/JWT_SECRET/);
    expect(resolvedEnvironment(services.api, { DEMO_DATA: undefined, ...SECRETS }).DEMO_DATA).toBe('false');
  });

  it('sets only variables the API knows, as strings', () => {
    const known = new Set(CONFIG_VARIABLES.map((v) => v.name));
    const env = services.api.environment as Record<string, unknown>;
    expect(Array.isArray(env)).toBe(false);
    const names = Object.keys(env);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
    // Compose rejects booleans and YAML may turn unquoted values into them.
    expect(Object.entries(env).filter(([, v]) => typeof v !== 'string')).toEqual([]);
  });

  it('points DATABASE_URL at the database, user and password the postgres service is created with', () => {
    for (const host of [{}, { POSTGRES_DB: 'cc', POSTGRES_USER: 'u1', POSTGRES_PASSWORD: 'p1' }] as Env[]) {
      const pg = resolvedEnvironment(services.postgres, host);
      expect(pg.POSTGRES_DB).toBeTruthy();
      expect(pg.POSTGRES_PASSWORD).toBeTruthy();
      const url = new URL(resolvedEnvironment(services.api, { ...host, ...SECRETS }).DATABASE_URL);
      expect(url.hostname).toBe('postgres');
      expect(url.username).toBe(pg.POSTGRES_USER || 'postgres');
      expect(url.password).toBe(pg.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
    }
  });

  it("passes the API's own configuration check in production", () => {
    const env = resolvedEnvironment(services.api, { ...SECRETS });
    // cwd is irrelevant in production with a JWT_SECRET: nothing is written.
    const config = loadConfig(env, join(repoRoot, '.data', 'never-written'));
    expect(config.nodeEnv).toBe('production');
    expect(config.databaseUrl).toBe(env.DATABASE_URL);
    expect(config.jwtSecret).toBe(SECRET);
    expect(config.demoData).toBe(false);
    const published = (services.api.ports ?? []).map((p) => String(p).split(':').at(-1));
    expect(published).toContain(String(config.port));
  });

  it('publishes ports as quoted "host:container" strings', () => {
    // YAML 1.1 readers turn unquoted 22:22 into a base-60 number.
    const yaml11 = parse(composeText, { version: '1.1' }) as Compose;
    const all = Object.values(yaml11.services ?? {}).flatMap((s) => s.ports ?? []);
    expect(all.length).toBeGreaterThan(0);
    for (const port of all) {
      expect(typeof port).toBe('string');
      expect(port).toMatch(/^(\d{1,5}:)?\d{1,5}(\/(tcp|udp))?$/);
    }
    expect(services.api.ports).toContain('3000:3000');
    expect(services.postgres.ports ?? []).toEqual([]); // the database stays inside the compose network
  });

  it('declares every named volume it mounts and keeps the database on one', () => {
    const declared = new Set(Object.keys(compose.volumes ?? {}));
    const mounts = Object.entries(services).flatMap(([name, s]) =>
      (s.volumes ?? []).map((v) => {
        if (typeof v === 'string') {
          const [source, target] = v.split(':');
          return { service: name, source, target, named: !/^[./~]/.test(source) && !source.includes('/') };
        }
        const long = v as { type?: string; source?: string; target?: string };
        return { service: name, source: long.source ?? '', target: long.target, named: long.type === 'volume' && !!long.source };
      }),
    );
    const undeclared = mounts.filter((m) => m.named && !declared.has(m.source)).map((m) => m.source);
    expect(undeclared).toEqual([]);
    expect(mounts).toContainEqual(expect.objectContaining({ service: 'postgres', named: true, target: '/var/lib/postgresql/data' }));
  });

  it('has health checks: pg_isready for postgres, GET /api/health for the api', () => {
    const testOf = (s: Service) => {
      const t = s.healthcheck?.test;
      expect(s.healthcheck?.disable).not.toBe(true);
      expect(t).toBeDefined();
      return Array.isArray(t) ? t.join(' ') : String(t);
    };
    expect(testOf(services.postgres)).toMatch(/pg_isready/);
    const api = testOf(services.api);
    expect(api).toMatch(/^CMD node -e /); // the image has node, not curl or wget
    expect(api).toMatch(/http:\/\/(localhost|127\.0\.0\.1):3000\/api\/health/);
    expect(api).not.toMatch(/curl|wget/);
  });

  it('is accepted by `docker compose config` where Docker Compose is installed', () => {
    const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', timeout: 10_000 });
    if (probe.status !== 0) {
      console.info('docker compose is not available here: `docker compose config` was not run');
      return;
    }
    const run = (env: Env) =>
      spawnSync('docker', ['compose', '-f', 'docker/compose.yaml', 'config', '-q'], {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, ...env },
      });
    const ok = run({ ...SECRETS });
    expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: expect.any(String) }); // stderr shown on failure
    expect(run({ JWT_SECRET: '' }).status).not.toBe(0);
  });
});

describe('docker/api.Dockerfile', () => {
  const text = readFileSync(join(dockerDir, 'api.Dockerfile'), 'utf8');
  const stages = dockerfileStages(text);
  const final = stages.at(-1)!;
  const last = (op: string) => final.instructions.filter((i) => i.op === op).at(-1);

  it('builds in one stage and runs from another, both on Node 20', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.from).toMatch(/^node:20[-.\w]*( AS \w+)?$/i);
    const buildName = /\bAS\s+(\S+)/i.exec(stages[0].from)?.[1];
    expect(buildName).toBeDefined();
    expect(final.instructions).toContainEqual(expect.objectContaining({ op: 'COPY', args: expect.stringContaining(`--from=${buildName}`) }));
  });

  it('runs as a non-root user', () => {
    const user = last('USER');
    expect(user).toBeDefined();
    expect(user!.args.split(':')[0]).not.toMatch(/^(root|0)$/);
  });

  it('starts dist/main.js in production', () => {
    const cmd = last('CMD');
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd!.args)).toEqual(['node', 'dist/main.js']); // exec form: node is PID 1 and gets SIGTERM
    expect(final.instructions).toContainEqual({ op: 'ENV', args: 'NODE_ENV=production' });
    expect(last('EXPOSE')?.args).toBe('3000');
  });

  it('installs the pnpm version pinned in package.json from the lockfile, before copying sources', () => {
    const pinned = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).packageManager as string;
    expect(text).toContain(`PNPM_VERSION=${pinned.replace(/^pnpm@/, '')}`);
    const ins = stages[0].instructions;
    const install = ins.findIndex((i) => i.op === 'RUN' && /pnpm install\b.*--frozen-lockfile/.test(i.args));
    const sources = ins.findIndex((i) => i.op === 'COPY' && /^apps\/api\s/.test(i.args));
    expect(install).toBeGreaterThan(-1);
    expect(sources).toBeGreaterThan(install);
    expect(ins.some((i) => i.op === 'RUN' && /pnpm deploy\b.*--prod/.test(i.args))).toBe(true);
  });

  it('copies only files that exist in the build context', () => {
    const sources = stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.op === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) => i.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((s) => !existsSync(join(repoRoot, s)))).toEqual([]);
  });

  it('keeps installed packages, build output and tsbuildinfo files out of the build context', () => {
    const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split(/\r?\n/).map((l) => l.trim());
    // Without the tsbuildinfo entry `tsc -b` would consider a dist/-less package up to date.
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '**/*.tsbuildinfo', '.git']));
  });
});
