import type { CustomTypesConfig, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/** Every value as the text the server wrote: no `Date`, no number, no JSON made of it. */
const AS_SENT: CustomTypesConfig = { getTypeParser: () => (text: string) => text };

/**
 * A read whose rows come back as arrays of the server's text, one entry per selected column (null for NULL), on a
 * connection of its own from the pool, released at once. For the hot reads that rebuild their own objects
 * (`RecordReader`): the driver's per-row object and its type parsers are skipped.
 *
 * It runs in a read-only transaction with JIT compilation off: PostgreSQL compiles a plan whose cost estimate passes
 * `jit_above_cost`, which a read of 500 pupils' school year on a large board does, and the compilation took 15–20 ms
 * of a 40–75 ms read (bench evaluate, issue 18) while a read of indexed rows gains nothing from it.
 */
export async function queryValues(
  dataSource: DataSource,
  sql: string,
  params: readonly unknown[],
): Promise<(string | null)[][]> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    await client.query('BEGIN READ ONLY');
    try {
      await client.query('SET LOCAL jit = off');
      const result = await client.query<(string | null)[]>({
        text: sql,
        values: [...params],
        rowMode: 'array',
        types: AS_SENT,
      });
      await client.query('COMMIT');
      return result.rows;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.release();
  }
}
