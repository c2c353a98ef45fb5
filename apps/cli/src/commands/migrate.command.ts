import { ConfigurationError, loadSettings, processEnv } from '#config';
import { EmbeddedPostgres, openDatabase } from '#persistence';

/**
 * Applies pending migrations and prints which ran. Two connections: migrating holds one for its advisory
 * lock and runs the migrations on a second.
 */
export async function runMigrate(args: readonly string[]): Promise<number> {
  if (args.length > 0) {
    process.stderr.write(`ketenpoort migrate: unexpected arguments: ${args.join(' ')}\n`);
    return 2;
  }
  let settings;
  try {
    settings = loadSettings(processEnv());
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`ketenpoort migrate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const embedded = settings.databaseUrl === null ? await EmbeddedPostgres.start(settings.dataDir) : null;
  try {
    const dataSource = await openDatabase({ url: settings.databaseUrl ?? embedded!.url, poolSize: 2 });
    const applied: { name: string }[] = await dataSource.query(
      'SELECT name FROM schema_migrations ORDER BY id',
    );
    process.stdout.write(
      JSON.stringify({ migrations: applied.map((m) => m.name), mode: settings.mode }) + '\n',
    );
    await dataSource.destroy();
    return 0;
  } finally {
    await embedded?.stop();
  }
}
