import { join, resolve } from 'node:path';
import { makeOwnerOnly, ownerOnlyUmask } from './owner-only.js';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { pinExtendedQueries } from './pinned-query-queue.js';

/**
 * Real PostgreSQL (PGlite, WASM) inside this process, served over the wire protocol on a loopback port so
 * TypeORM and `pg` connect to it exactly as to a server. An open transaction holds PGlite's single
 * session, so other connections wait: keep transactions short.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  /** `dataDir` null: an in-memory database (tests). */
  static async start(dataDir: string | null, maxConnections = 8): Promise<EmbeddedPostgres> {
    let db: PGlite;
    if (dataDir === null) {
      db = await PGlite.create();
    } else {
      const dir = resolve(dataDir, 'pgdata');
      // Pupil data: DATA_DIR and the database files are owner-only (issue 12), also files an older start left open.
      ownerOnlyUmask();
      makeOwnerOnly(resolve(dataDir));
      db = await PGlite.create(join(dir));
      // PGlite unpacks its initial files with their archived modes (chmod, which the umask does not cover).
      makeOwnerOnly(resolve(dataDir));
    }
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
    pinExtendedQueries(server);
    await server.start();
    const [host, port] = server.getServerConn().split(':');
    return new EmbeddedPostgres(db, server, `postgres://postgres@${host}:${port}/postgres`);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
