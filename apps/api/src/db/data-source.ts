import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    // The schema only ever changes through checked-in migrations.
    synchronize: false,
    migrationsRun: false,
    poolSize,
    extra: { max: poolSize, application_name: 'chaincard-api' },
    logging: false,
  };
}

export async function openDataSource(url: string, poolSize = 10): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(url, poolSize));
  await ds.initialize();
  return ds;
}

/** Runs pending migrations; returns the names of those applied. */
export async function migrate(url: string): Promise<string[]> {
  const ds = await openDataSource(url, 1);
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
