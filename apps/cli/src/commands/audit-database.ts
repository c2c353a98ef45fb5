import { ConfigurationError, type Settings, loadSettings, processEnv } from '#config';
import { type DataSource, EmbeddedPostgres, openDatabase } from '#persistence';
import { UsageError } from './read-input.js';

/**
 * Opens the database a privacy command reads: --database-url, else DATABASE_URL, else the embedded database
 * in DATA_DIR (like `migrate`). Pending migrations are applied first.
 */
export async function withDatabase<T>(
  databaseUrl: string | undefined,
  work: (dataSource: DataSource, settings: Settings) => Promise<T>,
): Promise<T> {
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
    try {
      return await work(dataSource, settings);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await embedded?.stop();
  }
}
