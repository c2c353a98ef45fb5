import type { DataSource, EntityManager } from 'typeorm';
import {
  type AnalysisBucket,
  type AnalysisQuery,
  type AnalysisStore,
  type CanonicalRecord,
  LEGAL_CLASSES,
  type LegalClass,
  type PupilAt,
  type Report,
  type RetentionHook,
  type Signal,
  type SignalChanges,
  type SignalFilter,
  type SignalRows,
  type SignalStore,
  type StoredSignal,
} from '#domain';
import { REPORT_COLUMNS, type ReportRow, toReport } from './report.repository.js';
import { expireRowsPerPupil } from './retention-hook.js';
import { queryValues } from './query-values.js';
import {
  CATEGORY_CODES,
  LEGAL_CLASS_CODES,
  RECORD_COLUMNS,
  REGISTERED_VIA_CODES,
  RecordReader,
  recordSelect,
} from './record-row.js';

const PUPIL_AT = RECORD_COLUMNS.indexOf('pupil_local_id');
const PRESENT = CATEGORY_CODES.indexOf('PRESENT');
const AGGREGATE = REGISTERED_VIA_CODES.indexOf('AGGREGATE');

type Query = Pick<EntityManager, 'query'>;

interface SignalRow {
  board: string;
  school: string;
  status: StoredSignal['status'];
  withdrawn_reason: string | null;
  replaced_by: string | null;
  created_at: Date;
  updated_at: Date;
  payload: Signal;
}

const SIGNAL_COLUMNS =
  'board, school, status, withdrawn_reason, replaced_by, created_at, updated_at, payload';

function toStored(row: SignalRow): StoredSignal {
  return {
    board: row.board,
    school: row.school,
    status: row.status,
    withdrawnReason: row.withdrawn_reason,
    replacedBy: row.replaced_by,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    signal: row.payload,
  };
}

/** Stored signals, the reads evaluation needs, and the one transaction that writes an evaluation's result. */
export class TypeOrmSignalStore implements SignalStore {
  constructor(private readonly dataSource: DataSource) {}

  async wasProcessed(consumer: string, key: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM processed_message WHERE consumer = $1 AND idempotency_key = $2`,
      [consumer, key],
    );
    return rows.length > 0;
  }

  async pupilsOfRecords(board: string, recordIds: readonly string[]): Promise<PupilAt[]> {
    if (recordIds.length === 0) return [];
    const rows: { school_brin: string | null; pupil_local_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT school_brin, pupil_local_id FROM canonical_record
       WHERE board = $1 AND record_id = ANY($2::text[]) ORDER BY pupil_local_id, school_brin`,
      [board, [...recordIds]],
    );
    return rows.map((r) => ({ school: r.school_brin, localId: r.pupil_local_id }));
  }

  async pupilsOfSchool(board: string, school: string): Promise<PupilAt[]> {
    const rows: { local_id: string }[] = await this.dataSource.query(
      `SELECT local_id FROM pupil WHERE board = $1 AND school_brin = $2
       UNION SELECT pupil_local_id FROM signal WHERE board = $1 AND school = $2
       ORDER BY 1`,
      [board, school],
    );
    return rows.map((r) => ({ school, localId: r.local_id }));
  }

  async currentRecords(board: string, localIds: readonly string[]): Promise<Map<string, CanonicalRecord[]>> {
    return this.recordsOf(board, localIds, '');
  }

  async recordsForRules(board: string, localIds: readonly string[]): Promise<Map<string, CanonicalRecord[]>> {
    // `recordsTheRulesRead` in SQL: no aggregates; a presence mark only on a day of the pupil with a record that is
    // neither. The days come from a second pass over the same index range, hashed (the planner's `hashed SubPlan`):
    // 13 such reads took 0.70 s against 1.17 s for all records and 0.92 s for a probe per presence mark (bench
    // evaluate, 6,278 pupils).
    return this.recordsOf(
      board,
      localIds,
      `AND registered_via <> ${AGGREGATE} AND (category <> ${PRESENT} OR (pupil_local_id, date) IN (
         SELECT pupil_local_id, date FROM canonical_record
         WHERE board = $1 AND pupil_local_id = ANY($2::text[]) AND NOT deleted
           AND category <> ${PRESENT} AND registered_via <> ${AGGREGATE}))`,
    );
  }

  private async recordsOf(
    board: string,
    localIds: readonly string[],
    andWhere: string,
  ): Promise<Map<string, CanonicalRecord[]>> {
    const out = new Map<string, CanonicalRecord[]>();
    if (localIds.length === 0) return out;
    // Ordered here, per pupil, not by the server: sorting a day's pupils' whole years (some 33,000 rows a slice of
    // 500) spilled to disk and took more than a third of the read (bench evaluate, store part).
    const rows = await queryValues(
      this.dataSource,
      `SELECT ${recordSelect()} FROM canonical_record
       WHERE board = $1 AND pupil_local_id = ANY($2::text[]) AND NOT deleted ${andWhere}`,
      [board, [...localIds]],
    );
    const reader = new RecordReader();
    for (const row of rows) {
      const localId = row[PUPIL_AT] as string;
      const list = out.get(localId);
      if (list === undefined) out.set(localId, [reader.read(row)]);
      else list.push(reader.read(row));
    }
    for (const list of out.values()) list.sort(byDateAndId);
    return out;
  }

  async signalsOf(board: string, localIds: readonly string[]): Promise<StoredSignal[]> {
    if (localIds.length === 0) return [];
    const rows: SignalRow[] = await this.dataSource.query(
      `SELECT ${SIGNAL_COLUMNS} FROM signal WHERE board = $1 AND pupil_local_id = ANY($2::text[])
       ORDER BY pupil_local_id, signal_id`,
      [board, [...localIds]],
    );
    return rows.map(toStored);
  }

  async reportsOfSignals(board: string, signalIds: readonly string[]): Promise<Report[]> {
    if (signalIds.length === 0) return [];
    const rows: ReportRow[] = await this.dataSource.query(
      `SELECT ${REPORT_COLUMNS("'1970-01-01'")} FROM report
       WHERE board = $1 AND signal_id = ANY($2::text[]) ORDER BY created_at, id`,
      [board, [...signalIds]],
    );
    return rows.map(toReport);
  }

  async list(scope: { board: string; school: string }, filter: SignalFilter): Promise<StoredSignal[]> {
    const params: unknown[] = [scope.board, scope.school];
    const where = ['board = $1', 'school = $2'];
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.rule) {
      params.push(filter.rule);
      where.push(`rule = $${params.length}`);
    }
    const rows: SignalRow[] = await this.dataSource.query(
      `SELECT ${SIGNAL_COLUMNS} FROM signal WHERE ${where.join(' AND ')}
       ORDER BY updated_at DESC, signal_id LIMIT 1000`,
      params,
    );
    return rows.map(toStored);
  }
}

/** Retention of signals (category `signals`): unchanged for longer than the period, except pupils on legal hold. */
export function signalRetentionHook(dataSource: DataSource): RetentionHook {
  return {
    category: 'signals',
    expire: (input) => expireRowsPerPupil(dataSource, 'signal', input),
  };
}

const PERIOD_SQL = { week: `to_char(r.date, 'IYYY-"W"IW')`, month: `to_char(r.date, 'YYYY-MM')` } as const;
const KEY_SQL = {
  pupil: `r.pupil_local_id`,
  group: `coalesce(lsn.payload->>'group', 'onbekend')`,
  teacher: `coalesce(lsn.payload->>'teacher', lsn.payload->>'subject', 'onbekend')`,
  weekday: `(ARRAY['mon','tue','wed','thu','fri','sat','sun'])[extract(isodow FROM r.date)::int]`,
  lessonHour: `coalesce(r.lesson_hour_from::text, 'onbekend')`,
  reason: `(ARRAY[${CATEGORY_CODES.map((c) => `'${c}'`).join(', ')}]::text[])[r.category + 1]`,
  weekdayLessonHour: `(ARRAY['mon','tue','wed','thu','fri','sat','sun'])[extract(isodow FROM r.date)::int] || '-' ||
    coalesce(r.lesson_hour_from::text, 'onbekend')`,
} as const;
/** The stored lesson of the record's pupil (else a shared one) on its day and first lesson hour. */
const LESSON_JOIN = `LEFT JOIN LATERAL (
    SELECT l.payload FROM lesson l
    WHERE l.board = r.board AND l.school = r.school_brin AND l.date = r.date
      AND (l.pupil = r.pupil_local_id OR l.pupil = '')
      AND (l.payload->>'lessonHour')::int = r.lesson_hour_from
    ORDER BY l.pupil DESC, l.lesson_id LIMIT 1) lsn ON true`;

/** Periodic analysis in SQL over a school's current canonical records: aggregates only. */
export class TypeOrmAnalysisStore implements AnalysisStore {
  constructor(private readonly dataSource: DataSource) {}

  async analyse(query: AnalysisQuery): Promise<AnalysisBucket[]> {
    const needsLesson = query.by === 'group' || query.by === 'teacher';
    const rows: { period: string; key: string; legal_class: number; n: number; minutes: number }[] =
      await this.dataSource.query(
        `SELECT ${PERIOD_SQL[query.period]} AS period, ${KEY_SQL[query.by]} AS key, r.legal_class,
           count(*)::int AS n, coalesce(sum(r.missed_minutes), 0)::float8 AS minutes
         FROM canonical_record r ${needsLesson ? LESSON_JOIN : ''}
         WHERE r.board = $1 AND r.school_brin = $2 AND NOT r.deleted AND r.date BETWEEN $3::date AND $4::date
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        [query.board, query.school, query.from, query.to],
      );
    const buckets = new Map<string, { period: string; key: string; totals: AnalysisBucket['totals'] }>();
    for (const row of rows) {
      const id = `${row.period}\u0000${row.key}`;
      let bucket = buckets.get(id);
      if (!bucket) {
        const totals = Object.fromEntries(LEGAL_CLASSES.map((c) => [c, { minutes: 0, count: 0 }])) as Record<
          LegalClass,
          { minutes: number; count: number }
        >;
        bucket = { period: row.period, key: row.key, totals };
        buckets.set(id, bucket);
      }
      const cell = bucket.totals[LEGAL_CLASS_CODES[row.legal_class]];
      if (cell) {
        cell.minutes += Number(row.minutes);
        cell.count += Number(row.n);
      }
    }
    return [...buckets.values()];
  }
}

/**
 * Signals as rows inside a unit of work (ADR 0032): the message key that makes an evaluation happen once, and
 * the signals it opened and withdrew. Which signals those are, and the reports they get, is the evaluation's
 * decision.
 */
export class SqlSignalRows implements SignalRows {
  constructor(private readonly em: Query) {}

  async recordMessage(consumer: string, key: string, at: Date): Promise<boolean> {
    const inserted: unknown[] = await this.em.query(
      `INSERT INTO processed_message (consumer, idempotency_key, processed_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [consumer, key, at],
    );
    return inserted.length > 0;
  }

  async write(changes: SignalChanges, at: Date): Promise<void> {
    if (changes.opened.length > 0) {
      await this.em.query(
        `INSERT INTO signal (board, signal_id, school, pupil_local_id, rule, status, payload, created_at, updated_at)
         SELECT $1, x.signal_id, x.school, x.pupil_local_id, x.rule, 'OPEN', x.payload, $3, $3
         FROM jsonb_to_recordset($2::jsonb) AS x(signal_id text, school text, pupil_local_id text, rule text,
           payload jsonb)
         ON CONFLICT (board, signal_id) DO UPDATE SET status = 'OPEN', withdrawn_reason = NULL,
           replaced_by = NULL, school = excluded.school, payload = excluded.payload, updated_at = excluded.updated_at`,
        [
          changes.board,
          JSON.stringify(
            changes.opened.map(({ school, signal }) => ({
              signal_id: signal.signalId,
              school,
              pupil_local_id: signal.pupil.localId,
              rule: signal.rule,
              payload: signal,
            })),
          ),
          at,
        ],
      );
    }
    if (changes.withdrawn.length > 0) {
      await this.em.query(
        `UPDATE signal s SET status = 'WITHDRAWN', withdrawn_reason = x.reason, replaced_by = x.replaced_by,
           updated_at = $3
         FROM jsonb_to_recordset($2::jsonb) AS x(signal_id text, reason text, replaced_by text)
         WHERE s.board = $1 AND s.signal_id = x.signal_id AND s.status = 'OPEN'`,
        [
          changes.board,
          JSON.stringify(
            changes.withdrawn.map((w) => ({
              signal_id: w.signalId,
              reason: w.reason,
              replaced_by: w.replacedBy,
            })),
          ),
          at,
        ],
      );
    }
    if (changes.withdrawnDrafts.length > 0) {
      await this.em.query(
        `UPDATE report SET status = 'WITHDRAWN', updated_at = $3
         WHERE board = $1 AND id = ANY($2::uuid[]) AND status = 'DRAFT'`,
        [changes.board, [...changes.withdrawnDrafts], at],
      );
    }
  }
}

const byDateAndId = (a: CanonicalRecord, b: CanonicalRecord): number =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0;
