import type { DataSource, EntityManager } from 'typeorm';
import {
  type BoardScope,
  type Pupil,
  type PupilFacts,
  type PupilEducation,
  type Leerweg,
  type PupilHeldData,
  type PupilAt,
  type PupilRegistry,
  type QuarantineEntry,
  type SchoolSector,
  type SourceSystemId,
  DomainError,
  ForbiddenError,
  SHARED_ADMINISTRATION,
  scopeCoversSchool,
} from '#domain';
import { appendAuditEntries } from './audit-log.repository.js';
import { encryptBsn } from './pupil-registry.crypto.js';
import { PERSISTENCE_ERRORS } from '../persistence-error-codes.js';
import { queryValues } from './query-values.js';
import { RecordReader, recordSelect } from './record-row.js';

interface Row {
  board: string;
  administration: string;
  local_id: string;
  school_brin: string;
  birth_date: string;
  sector: string;
  startkwalificatie: boolean | null;
  woongemeente: string | null;
  enrolled_from: string;
  left_on: string | null;
  has_bsn: boolean;
  legal_hold: boolean;
  legal_hold_reason: string | null;
  legal_hold_set_by: string | null;
  legal_hold_at: Date | null;
  updated_at: Date;
  leerjaar: number | null;
  niveau: number | null;
  leerweg: string | null;
}

const COLUMNS = `board, administration, local_id, school_brin, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sector,
  startkwalificatie, woongemeente, to_char(enrolled_from, 'YYYY-MM-DD') AS enrolled_from,
  to_char(left_on, 'YYYY-MM-DD') AS left_on, bsn_encrypted IS NOT NULL AS has_bsn, legal_hold,
  legal_hold_reason, legal_hold_set_by, legal_hold_at, updated_at, leerjaar, niveau, leerweg`;

/** The pupil registry of a school board. The BSN is encrypted here and never read back by this class. */
export class TypeOrmPupilRegistry implements PupilRegistry {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pupilDataKey: Buffer,
  ) {}

  async upsert(
    scope: BoardScope,
    identity: string | { readonly administration: string; readonly localId: string },
    facts: PupilFacts,
    pseudonym: string,
    at: Date,
  ): Promise<{ created: boolean; pupil: Pupil }> {
    const { administration, localId } =
      typeof identity === 'string' ? { administration: facts.school, localId: identity } : identity;
    if (!scopeCoversSchool(scope, facts.school)) {
      throw new ForbiddenError(
        PERSISTENCE_ERRORS.SCHOOL_OUT_OF_SCOPE,
        'The school is not one of the schools this token may write for',
      );
    }
    if (administration !== SHARED_ADMINISTRATION && administration !== facts.school) {
      throw new DomainError(
        PERSISTENCE_ERRORS.PUPIL_ADMINISTRATION,
        'internal',
        'A per-school pupil is registered at its school',
      );
    }
    return this.dataSource.transaction(async (em) => {
      const existing: { school_brin: string }[] = await em.query(
        `SELECT school_brin FROM pupil WHERE board = $1 AND administration = $2 AND local_id = $3 FOR UPDATE`,
        [scope.board, administration, localId],
      );
      // In a shared administration, moving a pupil between schools needs a scope over both (ADR 0017: the
      // schools declared one administration, so a number is known across it). Per school this cannot happen.
      if (existing[0] && !scopeCoversSchool(scope, existing[0].school_brin)) {
        throw new ForbiddenError(
          PERSISTENCE_ERRORS.SCHOOL_OUT_OF_SCOPE,
          'The pupil is registered at a school outside this token',
        );
      }
      const bsn =
        facts.bsn === undefined ? null : encryptBsn(this.pupilDataKey, scope.board, localId, facts.bsn);
      await em.query(
        `INSERT INTO pupil (board, administration, local_id, pseudonym, school_brin, birth_date, sector,
           startkwalificatie, woongemeente, enrolled_from, left_on, bsn_encrypted, created_at, updated_at,
           leerjaar, niveau, leerweg)
         VALUES ($1, $13, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $14, $15, $16)
         ON CONFLICT (board, administration, local_id) DO UPDATE SET school_brin = EXCLUDED.school_brin,
           birth_date = EXCLUDED.birth_date, sector = EXCLUDED.sector,
           startkwalificatie = EXCLUDED.startkwalificatie, woongemeente = EXCLUDED.woongemeente,
           enrolled_from = EXCLUDED.enrolled_from, left_on = EXCLUDED.left_on,
           bsn_encrypted = COALESCE(EXCLUDED.bsn_encrypted, pupil.bsn_encrypted), updated_at = EXCLUDED.updated_at,
           leerjaar = EXCLUDED.leerjaar, niveau = EXCLUDED.niveau, leerweg = EXCLUDED.leerweg`,
        [
          scope.board,
          localId,
          pseudonym,
          facts.school,
          facts.birthDate,
          facts.sector,
          facts.startkwalificatie ?? null,
          facts.woongemeente ?? null,
          facts.enrolledFrom,
          facts.leftOn ?? null,
          bsn,
          at,
          administration,
          facts.education?.leerjaar ?? null,
          facts.education?.niveau ?? null,
          facts.education?.leerweg ?? null,
        ],
      );
      const pupil = await findIn(em, scope.board, administration, localId);
      return { created: existing.length === 0, pupil: pupil! };
    });
  }

  async find(scope: BoardScope, localId: string, school?: string | null): Promise<Pupil | null> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM pupil WHERE board = $1 AND local_id = $2
         AND ($3::text IS NULL OR administration = $3 OR administration = '${SHARED_ADMINISTRATION}')
       ORDER BY administration`,
      [scope.board, localId, school ?? null],
    );
    // Filtered by scope before counting: a pupil of another school is never "seen", not even as a collision.
    const found = rows.map(toPupil).filter((pupil) => scopeCoversSchool(scope, pupil.school));
    if (found.length > 1) {
      throw new DomainError(
        PERSISTENCE_ERRORS.PUPIL_AMBIGUOUS,
        'conflict',
        'Several schools have a pupil with this number; name the school',
        [{ field: 'school', code: PERSISTENCE_ERRORS.PUPIL_AMBIGUOUS, message: 'pass ?school=<BRIN>' }],
      );
    }
    return found[0] ?? null;
  }

  async findEach(scope: BoardScope, pupils: readonly PupilAt[]): Promise<(Pupil | null)[]> {
    if (pupils.length === 0) return [];
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM pupil WHERE board = $1 AND local_id = ANY($2::text[])`,
      [scope.board, [...new Set(pupils.map((p) => p.localId))]],
    );
    const byNumber = new Map<string, Pupil[]>();
    for (const pupil of rows.map(toPupil)) {
      if (!scopeCoversSchool(scope, pupil.school)) continue;
      const list = byNumber.get(pupil.localId) ?? [];
      list.push(pupil);
      byNumber.set(pupil.localId, list);
    }
    // As `find` chooses: the school's own administration or the shared one, and exactly one of them.
    return pupils.map(({ localId, school }) => {
      const found = (byNumber.get(localId) ?? []).filter(
        (p) => school === null || p.administration === school || p.administration === SHARED_ADMINISTRATION,
      );
      return found.length === 1 ? found[0] : null;
    });
  }

  async findAll(scope: BoardScope, localId: string): Promise<Pupil[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM pupil WHERE board = $1 AND local_id = $2 ORDER BY administration`,
      [scope.board, localId],
    );
    return rows.map(toPupil).filter((pupil) => scopeCoversSchool(scope, pupil.school));
  }

  async pseudonymOf(board: string, administration: string, localId: string): Promise<string | null> {
    const rows: { pseudonym: string }[] = await this.dataSource.query(
      `SELECT pseudonym FROM pupil WHERE board = $1 AND administration = $2 AND local_id = $3`,
      [board, administration, localId],
    );
    return rows[0]?.pseudonym ?? null;
  }

  async setLegalHold(
    board: string,
    localId: string,
    hold: { reason: string; setBy: string; pseudonym: string },
    at: Date,
    administration?: string,
  ): Promise<Pupil | null> {
    return this.dataSource.transaction(async (em) => {
      const updated: { administration: string }[] = await em.query(
        `WITH updated AS (
           UPDATE pupil SET legal_hold = true, legal_hold_reason = $3, legal_hold_set_by = $4, legal_hold_at = $5
           WHERE board = $1 AND local_id = $2 AND ($6::text IS NULL OR administration = $6) RETURNING administration)
         SELECT * FROM updated`,
        [board, localId, hold.reason, hold.setBy, at, administration ?? null],
      );
      if (updated.length === 0) return null;
      await em.query(
        `INSERT INTO legal_hold_event (board, administration, local_id, school_brin, action, reason, actor, at)
         SELECT board, administration, local_id, school_brin, 'SET', $3, $4, $5 FROM pupil
         WHERE board = $1 AND local_id = $2 AND ($6::text IS NULL OR administration = $6)`,
        [board, localId, hold.reason, hold.setBy, at, administration ?? null],
      );
      // The reason is free text and stays in the registry; the log names who and when.
      await appendAuditEntries(
        em,
        [{ board, kind: 'LEGAL_HOLD_SET', entry: { pupil: hold.pseudonym, by: hold.setBy } }],
        at,
      );
      return findIn(em, board, administration ?? updated[0].administration, localId);
    });
  }

  async liftLegalHold(
    board: string,
    localId: string,
    by: { liftedBy: string; pseudonym: string; reason?: string },
    at: Date,
    administration?: string,
  ): Promise<Pupil | null> {
    return this.dataSource.transaction(async (em) => {
      // Only a hold that was in place is lifted in the history; lifting nothing leaves no row there.
      await em.query(
        `INSERT INTO legal_hold_event (board, administration, local_id, school_brin, action, reason, actor, at)
         SELECT board, administration, local_id, school_brin, 'LIFTED', $4, $5, $6 FROM pupil
         WHERE board = $1 AND local_id = $2 AND ($3::text IS NULL OR administration = $3) AND legal_hold`,
        [board, localId, administration ?? null, by.reason ?? null, by.liftedBy, at],
      );
      const updated: { administration: string }[] = await em.query(
        `WITH updated AS (
           UPDATE pupil SET legal_hold = false, legal_hold_reason = NULL, legal_hold_set_by = NULL, legal_hold_at = NULL
           WHERE board = $1 AND local_id = $2 AND ($3::text IS NULL OR administration = $3) RETURNING administration)
         SELECT * FROM updated`,
        [board, localId, administration ?? null],
      );
      if (updated.length === 0) return null;
      await appendAuditEntries(
        em,
        [{ board, kind: 'LEGAL_HOLD_LIFTED', entry: { pupil: by.pseudonym, by: by.liftedBy } }],
        at,
      );
      return findIn(em, board, administration ?? updated[0].administration, localId);
    });
  }

  async heldData(board: string, localId: string, administration?: string): Promise<PupilHeldData> {
    // Per school, the records and quarantined items of that school only (ADR 0017).
    const perSchool =
      administration === undefined || administration === SHARED_ADMINISTRATION ? null : administration;
    const records = await queryValues(
      this.dataSource,
      `SELECT ${recordSelect()} FROM canonical_record WHERE board = $1 AND pupil_local_id = $2
         AND ($3::text IS NULL OR school_brin = $3) ORDER BY date, record_id`,
      [board, localId, perSchool],
    );
    const quarantined: {
      id: string;
      batch_id: string;
      school: string | null;
      source_system: string;
      source_id: string | null;
      reason: string;
      detail: string;
      received_at: Date;
    }[] = await this.dataSource.query(
      `SELECT id, batch_id, school, source_system, source_id, reason, detail, received_at FROM quarantined_input
       WHERE board = $1 AND pupil_local_id = $2 AND ($3::text IS NULL OR school = $3) ORDER BY id`,
      [board, localId, perSchool],
    );
    const reader = new RecordReader();
    return {
      records: records.map((row) => reader.read(row)),
      quarantined: quarantined.map((q): QuarantineEntry => ({
        id: String(q.id),
        batchId: q.batch_id,
        school: q.school,
        sourceSystem: q.source_system as SourceSystemId,
        sourceId: q.source_id,
        reason: q.reason as QuarantineEntry['reason'],
        detail: q.detail,
        receivedAt: new Date(q.received_at).toISOString(),
      })),
    };
  }
}

async function findIn(
  em: EntityManager,
  board: string,
  administration: string,
  localId: string,
): Promise<Pupil | null> {
  const rows: Row[] = await em.query(
    `SELECT ${COLUMNS} FROM pupil WHERE board = $1 AND administration = $2 AND local_id = $3`,
    [board, administration, localId],
  );
  const row = rows[0];
  return row ? toPupil(row) : null;
}

function toPupil(row: Row): Pupil {
  return {
    board: row.board,
    localId: row.local_id,
    school: row.school_brin,
    administration: row.administration,
    birthDate: row.birth_date,
    sector: row.sector as SchoolSector,
    startkwalificatie: row.startkwalificatie,
    woongemeente: row.woongemeente,
    enrolledFrom: row.enrolled_from,
    leftOn: row.left_on,
    hasBsn: row.has_bsn,
    legalHold:
      row.legal_hold && row.legal_hold_at
        ? {
            reason: row.legal_hold_reason ?? '',
            setBy: row.legal_hold_set_by ?? '',
            at: new Date(row.legal_hold_at).toISOString(),
          }
        : null,
    updatedAt: new Date(row.updated_at).toISOString(),
    ...educationOf(row),
  };
}

function educationOf(row: Row): { education?: PupilEducation } {
  const education: PupilEducation = {
    ...(row.leerjaar !== null ? { leerjaar: row.leerjaar } : {}),
    ...(row.niveau !== null ? { niveau: row.niveau } : {}),
    ...(row.leerweg !== null ? { leerweg: row.leerweg as Leerweg } : {}),
  };
  return Object.keys(education).length > 0 ? { education } : {};
}
