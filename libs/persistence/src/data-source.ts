import { DataSource } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export interface DataSourceOptions {
  readonly url: string;
  /** Embedded PGlite serialises transactions; a small pool is enough. */
  readonly poolSize: number;
}

/** TypeORM on PostgreSQL; schema changes only through migrations (never synchronize). */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: false,
    extra: { max: options.poolSize, connectionTimeoutMillis: 10_000 },
  });
}

/** Arbitrary but fixed: every ketenpoort process takes this advisory lock while it migrates. */
const MIGRATION_LOCK = 4_711_202_6;

/**
 * Opens the pool and applies pending migrations. Gateway and worker both migrate at start; a session-level
 * advisory lock makes processes that start together take turns instead of racing on an empty database.
 */
export async function openDatabase(options: DataSourceOptions): Promise<DataSource> {
  // Embedded PGlite multiplexes every connection onto one backend session, where advisory locks do not
  // exclude each other; openings inside one process are therefore also serialised here.
  const previous = migrating.get(options.url) ?? Promise.resolve();
  const opening = previous.catch(() => undefined).then(() => openAndMigrate(options));
  migrating.set(options.url, opening);
  try {
    return await opening;
  } finally {
    if (migrating.get(options.url) === opening) migrating.delete(options.url);
  }
}

const migrating = new Map<string, Promise<unknown>>();

async function openAndMigrate(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  try {
    const lock = dataSource.createQueryRunner();
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await lock.release();
    }
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
