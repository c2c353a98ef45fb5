import type { DataSource, EntityManager } from 'typeorm';
import {
  type NewReport,
  REPORT_STATUS_RANK,
  type Report,
  type ReportDecision,
  type ReportStore,
  type ReportFilter,
  type ReportRows,
  type ReportStatus,
  type RetentionHook,
  type StatusHistoryRow,
} from '#domain';
import { LIVE_REPORT_STATUSES } from '../migrations/1764700000000-signals-store.js';
import { expireRowsPerPupil } from './retention-hook.js';

/** Columns of a report row with `overdue` measured against the school-local date `$today`. */
export const REPORT_COLUMNS = (today: string) => `id, kind, status, fields, action, supersedes, board, school,
  pupil_local_id, signal_id, rule, mandatory, deadline::text AS deadline, decided_by, decided_at, dismiss_reason,
  created_at, updated_at, external_ref, closing_reason, closing_explanation, municipal_contact, status_at,
  (status = 'DRAFT' AND deadline IS NOT NULL AND deadline < ${today}::date) AS overdue`;

export interface ReportRow {
  id: string;
  kind: Report['kind'];
  status: Report['status'];
  fields: Report['fields'];
  action: Report['action'];
  supersedes: string | null;
  board: string;
  school: string;
  pupil_local_id: string;
  signal_id: string;
  rule: string;
  mandatory: boolean;
  deadline: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  dismiss_reason: string | null;
  created_at: Date;
  updated_at: Date;
  external_ref: string | null;
  closing_reason: string | null;
  closing_explanation: string | null;
  municipal_contact: string | null;
  status_at: Date | null;
  overdue: boolean;
}

export function toReport(row: ReportRow): Report {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    fields: row.fields,
    action: row.action,
    supersedes: row.supersedes,
    board: row.board,
    school: row.school,
    pupil: { localId: row.pupil_local_id },
    signalId: row.signal_id,
    rule: row.rule,
    mandatory: row.mandatory,
    deadline: row.deadline,
    overdue: row.overdue === true,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
    dismissReason: row.dismiss_reason,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    ...(row.status_at || row.external_ref
      ? {
          chain: {
            externalRef: row.external_ref,
            closingReason: row.closing_reason,
            closingExplanation: row.closing_explanation,
            contact: row.municipal_contact,
            statusAt: row.status_at ? new Date(row.status_at).toISOString() : null,
          },
        }
      : {}),
  };
}

type Query = Pick<EntityManager, 'query'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The report lifecycle's ranks (`REPORT_STATUS_RANK` in the domain) as SQL: a status change never moves back. */
const REPORT_STATUS_RANK_SQL = (column: string): string =>
  `(CASE ${column} ${Object.entries(REPORT_STATUS_RANK)
    .map(([status, rank]) => `WHEN '${status}' THEN ${rank}`)
    .join(' ')} ELSE 0 END)`;

/** Inserts reports in one statement; a second live report of one signal is left out. The rows inserted. */
async function insertReportRows(
  em: Query,
  drafts: readonly NewReport[],
  at: Date,
): Promise<{ id: string; board: string; status: ReportStatus }[]> {
  if (drafts.length === 0) return [];
  return em.query(
    `INSERT INTO report (id, board, school, pupil_local_id, signal_id, rule, kind, status, action, supersedes,
       mandatory, deadline, fields, decided_by, decided_at, dismiss_reason, created_at, updated_at)
     SELECT x.id, x.board, x.school, x.pupil_local_id, x.signal_id, x.rule, x.kind, x.status, x.action, x.supersedes,
       x.mandatory, x.deadline, x.fields, x.decided_by, x.decided_at, NULL, $2, $2
     FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, board text, school text, pupil_local_id text, signal_id text,
       rule text, kind text, status text, action text, supersedes uuid, mandatory boolean, deadline date,
       fields jsonb, decided_by text, decided_at timestamptz)
     ON CONFLICT (board, signal_id) WHERE action = 'REPORT' AND status IN (${LIVE_REPORT_STATUSES}) DO NOTHING
     RETURNING id, board, status`,
    [
      JSON.stringify(
        drafts.map((d) => ({
          id: d.id,
          board: d.board,
          school: d.school,
          pupil_local_id: d.pupil.localId,
          signal_id: d.signalId,
          rule: d.rule,
          kind: d.kind,
          status: d.status,
          action: d.action,
          supersedes: d.supersedes,
          mandatory: d.mandatory,
          deadline: d.deadline,
          fields: d.fields,
          decided_by: d.decidedBy,
          decided_at: d.decidedAt,
        })),
      ),
      at,
    ],
  );
}

/**
 * Reports as rows inside a unit of work (ADR 0032). A status moves only forward (the rank guard in SQL, so a
 * concurrent writer's move is never undone) or back from exactly the status the caller names; which move to make
 * and what to write beside it is the use case's decision.
 */
export class SqlReportRows implements ReportRows {
  constructor(private readonly em: Query) {}

  async get(board: string, reportId: string): Promise<Report | null> {
    if (!UUID.test(reportId)) return null;
    const rows: ReportRow[] = await this.em.query(
      `SELECT ${REPORT_COLUMNS('current_date')} FROM report WHERE board = $1 AND id = $2::uuid`,
      [board, reportId],
    );
    return rows[0] ? toReport(rows[0]) : null;
  }

  async lock(
    board: string,
    reportId: string,
  ): Promise<{ school: string; status: ReportStatus; supersedes: string | null } | null> {
    if (!UUID.test(reportId)) return null;
    const rows: { school: string; status: ReportStatus; supersedes: string | null }[] = await this.em.query(
      `SELECT school, status, supersedes FROM report WHERE board = $1 AND id = $2::uuid FOR UPDATE`,
      [board, reportId],
    );
    return rows[0] ?? null;
  }

  async advance(
    board: string,
    reportId: string,
    status: ReportStatus,
    at: Date,
    chain: {
      readonly externalRef?: string | null;
      readonly closingReason?: string | null;
      readonly closingExplanation?: string | null;
      readonly contact?: string | null;
    } = {},
  ): Promise<boolean> {
    const rows: unknown[] = await this.em.query(
      `WITH moved AS (
         UPDATE report SET status = $3, status_at = $4, updated_at = $4,
           external_ref = COALESCE($5, external_ref),
           closing_reason = COALESCE($6, closing_reason),
           closing_explanation = COALESCE($7, closing_explanation),
           municipal_contact = COALESCE($8, municipal_contact)
         WHERE board = $1 AND id = $2::uuid
           AND ${REPORT_STATUS_RANK_SQL('status')} < ${REPORT_STATUS_RANK_SQL('$3::text')}
         RETURNING 1)
       SELECT * FROM moved`,
      [
        board,
        reportId,
        status,
        at,
        chain.externalRef ?? null,
        chain.closingReason ?? null,
        chain.closingExplanation ?? null,
        chain.contact ?? null,
      ],
    );
    return rows.length > 0;
  }

  async reopen(
    board: string,
    reportId: string,
    from: ReportStatus,
    to: ReportStatus,
    at: Date,
  ): Promise<boolean> {
    const rows: unknown[] = await this.em.query(
      `WITH reopened AS (
         UPDATE report SET status = $4, status_at = $3, updated_at = $3
         WHERE board = $1 AND id = $2::uuid AND status = $5 RETURNING 1)
       SELECT * FROM reopened`,
      [board, reportId, at, to, from],
    );
    return rows.length > 0;
  }

  async decide(
    board: string,
    reportId: string,
    decision: ReportDecision,
    at: Date,
    today: string,
  ): Promise<Report | null> {
    if (!UUID.test(reportId)) return null;
    const rows: ReportRow[] = await this.em.query(
      // As a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
      `WITH decided AS (
         UPDATE report SET status = $4, decided_by = $5, decided_at = $6, dismiss_reason = $7, updated_at = $6,
           status_at = $6
         WHERE board = $1 AND id = $2::uuid AND status = 'DRAFT' RETURNING *)
       SELECT ${REPORT_COLUMNS('$3')} FROM decided`,
      [board, reportId, today, decision.status, decision.by, at, decision.reason],
    );
    return rows[0] ? toReport(rows[0]) : null;
  }

  insert(
    reports: readonly NewReport[],
    at: Date,
  ): Promise<{ id: string; board: string; status: ReportStatus }[]> {
    return insertReportRows(this.em, reports, at);
  }

  async addHistory(rows: readonly StatusHistoryRow[], at: Date): Promise<void> {
    for (const row of rows) {
      await this.em.query(
        `INSERT INTO report_status_history
           (board, report_id, status, source, closing_reason, closing_explanation, contact, detail, at, school_fields)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[])`,
        [
          row.board,
          row.reportId,
          row.status,
          row.source,
          row.closingReason ?? null,
          row.closingExplanation ?? null,
          row.contact ?? null,
          row.detail ?? null,
          at,
          row.schoolFields ? [...row.schoolFields] : null,
        ],
      );
    }
  }
}

/** Reports and drafts per board and school; status changes are conditional updates (no lost decisions). */
export class TypeOrmReportStore implements ReportStore {
  constructor(private readonly dataSource: DataSource) {}

  async list(scope: { board: string; school: string }, filter: ReportFilter): Promise<Report[]> {
    const params: unknown[] = [scope.board, scope.school, filter.today];
    const where = ['board = $1', 'school = $2'];
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.overdue !== undefined) {
      where.push(
        `${filter.overdue ? '' : 'NOT '}(status = 'DRAFT' AND deadline IS NOT NULL AND deadline < $3::date)`,
      );
    }
    const rows: ReportRow[] = await this.dataSource.query(
      `SELECT ${REPORT_COLUMNS('$3')} FROM report WHERE ${where.join(' AND ')}
       ORDER BY created_at DESC, id LIMIT 1000`,
      params,
    );
    return rows.map(toReport);
  }

  async get(
    board: string,
    schools: readonly string[] | null,
    id: string,
    today: string,
  ): Promise<Report | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    const rows: ReportRow[] = await this.dataSource.query(
      `SELECT ${REPORT_COLUMNS('$3')} FROM report
       WHERE board = $1 AND id = $2::uuid AND ($4::text[] IS NULL OR school = ANY($4::text[]))`,
      [board, id, today, schools === null ? null : [...schools]],
    );
    return rows[0] ? toReport(rows[0]) : null;
  }
}

/**
 * Retention of report drafts (category `report_drafts`): reports decided or finished longer than the period ago
 * go; work in progress (DRAFT, APPROVED, QUEUED) and pupils on legal hold stay.
 */
export function reportDraftRetentionHook(dataSource: DataSource): RetentionHook {
  return {
    category: 'report_drafts',
    async expire(input) {
      // Work in progress stays, whatever its age.
      const rows = await expireRowsPerPupil(
        dataSource,
        'report',
        input,
        "status IN ('DRAFT', 'APPROVED', 'QUEUED')",
      );
      // A case's end date (ADR 0018) goes with the case's earliest report.
      await dataSource.query(
        `DELETE FROM report_case c WHERE c.board = $1
           AND NOT EXISTS (SELECT 1 FROM report r WHERE r.board = c.board AND r.id = c.case_id)`,
        [input.board],
      );
      return rows;
    },
  };
}
