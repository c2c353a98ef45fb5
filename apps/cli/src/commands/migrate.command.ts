import { withDatabase } from './cli-database.js';

/** Applies pending migrations (opening the database applies them) and prints which have run. */
export async function runMigrate(args: readonly string[]): Promise<number> {
  if (args.length > 0) {
    process.stderr.write(`ketenpoort migrate: unexpected arguments: ${args.join(' ')}\n`);
    return 2;
  }
  return withDatabase(undefined, async (dataSource, settings) => {
    const applied: { name: string }[] = await dataSource.query(
      'SELECT name FROM schema_migrations ORDER BY id',
    );
    process.stdout.write(
      JSON.stringify({ migrations: applied.map((m) => m.name), mode: settings.mode }) + '\n',
    );
    return 0;
  });
}
