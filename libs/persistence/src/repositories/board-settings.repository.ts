import type { DataSource } from 'typeorm';
import {
  type BoardSettings,
  type BoardSettingsStore,
  DomainError,
  type Pseudonymise,
  type PupilDirectory,
  type RegisteredPupilAt,
  SHARED_ADMINISTRATION,
  pupilPseudonym,
  schoolPupilPseudonym,
} from '#domain';
import { PERSISTENCE_ERRORS } from '../persistence-error-codes.js';

/** A board's declaration about its pupil numbers (ADR 0017); a board without a row: one administration per school. */
export class TypeOrmBoardSettingsStore implements BoardSettingsStore {
  constructor(private readonly dataSource: DataSource) {}

  async get(board: string): Promise<BoardSettings> {
    const rows: { shared_administration: boolean; updated_at: Date; updated_by: string }[] =
      await this.dataSource.query(
        `SELECT shared_administration, updated_at, updated_by FROM board_settings WHERE board = $1`,
        [board],
      );
    const row = rows[0];
    if (!row) return { board, sharedAdministration: false, updatedAt: null, updatedBy: null };
    return {
      board,
      sharedAdministration: row.shared_administration,
      updatedAt: new Date(row.updated_at).toISOString(),
      updatedBy: row.updated_by,
    };
  }

  async save(board: string, sharedAdministration: boolean, by: string, at: Date): Promise<BoardSettings> {
    return this.dataSource.transaction(async (em) => {
      // One writer per board at a time: the re-keying below must see every pupil.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('board_settings:' || $1))`, [board]);
      if (sharedAdministration) {
        const collisions: unknown[] = await em.query(
          `SELECT 1 FROM pupil WHERE board = $1 GROUP BY local_id HAVING count(*) > 1 LIMIT 1`,
          [board],
        );
        if (collisions.length > 0) {
          throw new DomainError(
            PERSISTENCE_ERRORS.PUPIL_NUMBERS_COLLIDE,
            'conflict',
            'Two schools of this board have a pupil with the same number; they cannot share one administration',
          );
        }
        await em.query(`UPDATE pupil SET administration = $2 WHERE board = $1`, [
          board,
          SHARED_ADMINISTRATION,
        ]);
      } else {
        await em.query(`UPDATE pupil SET administration = school_brin WHERE board = $1`, [board]);
      }
      await em.query(
        `INSERT INTO board_settings (board, shared_administration, updated_at, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (board) DO UPDATE SET shared_administration = excluded.shared_administration,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        [board, sharedAdministration, at, by],
      );
      return { board, sharedAdministration, updatedAt: at.toISOString(), updatedBy: by };
    });
  }
}

/**
 * The pseudonym of a pupil number (ADR 0017): the one stored with the registered pupil (pupils registered before
 * per-school identity keep theirs), else computed: per school with `schoolPupilPseudonym`, for a shared
 * administration or an unknown school with `pupilPseudonym`.
 */
export function storedPseudonymiser(dataSource: DataSource, key: Buffer): Pseudonymise {
  return async (board, localId, school) => {
    const rows: { pseudonym: string; administration: string }[] = await dataSource.query(
      `SELECT pseudonym, administration FROM pupil WHERE board = $1 AND local_id = $2
         AND ($3::text IS NULL OR administration = $3 OR administration = '${SHARED_ADMINISTRATION}')
       ORDER BY administration LIMIT 2`,
      [board, localId, school ?? null],
    );
    if (rows.length === 1) return rows[0].pseudonym;
    if (school) {
      const shared: { shared_administration: boolean }[] = await dataSource.query(
        `SELECT shared_administration FROM board_settings WHERE board = $1`,
        [board],
      );
      if (shared[0]?.shared_administration !== true) return schoolPupilPseudonym(key, board, school, localId);
    }
    return pupilPseudonym(key, board, localId);
  };
}

/** Where pupil numbers are registered, for the scope check of incoming records (ADR 0017). */
export class TypeOrmPupilDirectory implements PupilDirectory {
  constructor(private readonly dataSource: DataSource) {}

  async sharedAdministration(board: string): Promise<boolean> {
    const rows: { shared_administration: boolean }[] = await this.dataSource.query(
      `SELECT shared_administration FROM board_settings WHERE board = $1`,
      [board],
    );
    return rows[0]?.shared_administration === true;
  }

  async registeredAt(board: string, localIds: readonly string[] | null): Promise<RegisteredPupilAt[]> {
    if (localIds !== null && localIds.length === 0) return [];
    const rows: { local_id: string; school_brin: string; administration: string }[] =
      await this.dataSource.query(
        `SELECT local_id, school_brin, administration FROM pupil
         WHERE board = $1 AND ($2::text[] IS NULL OR local_id = ANY($2::text[]))`,
        [board, localIds === null ? null : [...new Set(localIds)]],
      );
    return rows.map((r) => ({
      localId: r.local_id,
      school: r.school_brin,
      administration: r.administration,
    }));
  }
}
