import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { processEnv } from '#config';
import { EmbeddedPostgres } from '#persistence';

export interface TestDatabase {
  /** Connection URL of a fresh, empty database. */
  readonly url: string;
  readonly kind: 'pglite' | 'postgresql';
  drop(): Promise<void>;
}

/**
 * A fresh database per test suite: a new database on the server named by DATABASE_URL when it is set
 * (CI's PostgreSQL run), otherwise an in-memory PGlite served over the wire protocol.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = processEnv()['DATABASE_URL'];
  if (!serverUrl) {
    const embedded = await EmbeddedPostgres.start(null);
    return { url: embedded.url, kind: 'pglite', drop: () => embedded.stop() };
  }
  const name = `kp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'postgresql',
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The RabbitMQ URL for integration suites, or null to use the in-process broker. */
export function testAmqpUrl(): string | null {
  return processEnv()['AMQP_URL'] || null;
}

/** The PostgreSQL server URL for integration suites, or null to use an in-memory PGlite. */
export function testDatabaseUrl(): string | null {
  return processEnv()['DATABASE_URL'] || null;
}
