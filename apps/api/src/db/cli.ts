import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { openDataSource } from './data-source';
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from './embedded';

/**
 * Developer commands for the schema.
 *   generate <Name>  diff the entities against a fresh database migrated to head and write a
 *                    migration (read it before committing: generated is not reviewed).
 *   check            exit 1 when the entities and the migrations disagree.
 */
async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command !== 'generate' && command !== 'check') {
    console.error('usage: cli.ts generate <Name> | check');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'chaincard-schema-'));
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false });
  try {
    const url = withDatabase(pg.serverUrl, 'schema_diff');
    await ensureDatabase(pg.serverUrl, 'schema_diff');
    const ds = await openDataSource(url, 1);
    await ds.runMigrations({ transaction: 'each' });
    const sql = await ds.driver.createSchemaBuilder().log();
    await ds.destroy();
    if (command === 'check') {
      if (sql.upQueries.length) {
        console.error(sql.upQueries.map((q) => q.query).join(';\n'));
        process.exit(1);
      }
      console.log('entities and migrations agree');
      return;
    }
    if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('give the migration a PascalCase name');
    if (!sql.upQueries.length) {
      console.log('no changes');
      return;
    }
    const ts = Date.now();
    const className = `${name}${ts}`;
    const esc = (q: string) => q.replace(/\\/g, '\\\\').replace(/`/g, '\\`');
    const up = sql.upQueries.map((q) => `    await queryRunner.query(\`${esc(q.query)}\`);`).join('\n');
    const down = sql.downQueries.reverse().map((q) => `    await queryRunner.query(\`${esc(q.query)}\`);`).join('\n');
    const migrationsDir = resolve(__dirname, '../../src/db/migrations');
    const file = `${ts}-${name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
    writeFileSync(
      join(migrationsDir, `${file}.ts`),
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
    );
    writeMigrationIndex(migrationsDir);
    console.log(`wrote src/db/migrations/${file}.ts`);
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** index.ts lists every migration file on disk, ordered by the timestamp that starts its name. */
export function writeMigrationIndex(dir: string): void {
  const files = readdirSync(dir)
    .filter((f) => /^\d{13}-.*\.ts$/.test(f))
    .sort();
  const classes = files.map((f) => /export class (\w+)/.exec(readFileSync(join(dir, f), 'utf8'))![1]);
  const imports = files.map((f, i) => `import { ${classes[i]} } from './${f.replace(/\.ts$/, '')}';`).join('\n');
  writeFileSync(
    join(dir, 'index.ts'),
    `${imports}\n\n/** Checked-in migrations in order. Never edit a landed one; add a new file. */\nexport const MIGRATIONS: Function[] = [\n${classes.map((c) => `  ${c},\n`).join('')}];\n`,
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolvePort(port));
    });
    srv.on('error', reject);
  });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
