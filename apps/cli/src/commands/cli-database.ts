import { ConfigurationError, type Settings, loadSettings, processEnv } from '#config';
import { type DataSource, EmbeddedPostgres, openDatabase } from '#persistence';
import { UsageError } from './read-input.js';

/** The store a command works on, opened with pending migrations applied. */
export interface CliDatabase {
  readonly dataSource: DataSource;
  readonly settings: Settings;
  /** `embedded PGlite` or `PostgreSQL (DATABASE_URL)`, for the command's output. */
  readonly mode: string;
  close(): Promise<void>;
}

/**
 * Opens the database a command reads or writes: `databaseUrl` (a `--database-url` option), else DATABASE_URL,
 * else the embedded database in DATA_DIR. Bad settings are a usage error (exit 2), never a stack trace.
 */
export async function openCliDatabase(databaseUrl?: string): Promise<CliDatabase> {
  let settings: Settings;
  try {
    settings = loadSettings(databaseUrl ? { ...processEnv(), DATABASE_URL: databaseUrl } : processEnv());
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(error.message);
    throw error;
  }
  const embedded = settings.databaseUrl === null ? await EmbeddedPostgres.start(settings.dataDir) : null;
  try {
    // Two: migrating holds one connection for its advisory lock while the migrations run on another.
    const dataSource = await openDatabase({ url: settings.databaseUrl ?? embedded!.url, poolSize: 2 });
    return {
      dataSource,
      settings,
      mode: embedded ? 'embedded PGlite' : 'PostgreSQL (DATABASE_URL)',
      async close() {
        await dataSource.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/** Runs `work` on the command's database and closes it afterwards, also when `work` fails. */
export async function withDatabase<T>(
  databaseUrl: string | undefined,
  work: (dataSource: DataSource, settings: Settings) => Promise<T>,
): Promise<T> {
  const database = await openCliDatabase(databaseUrl);
  try {
    return await work(database.dataSource, database.settings);
  } finally {
    await database.close();
  }
}
