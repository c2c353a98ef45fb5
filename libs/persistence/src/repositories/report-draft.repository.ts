import type { DataSource, EntityManager } from 'typeorm';
import {
  type NewReportDraft,
  type ReportDraft,
  type ReportDraftStore,
  type ReportFilter,
  REPORT_APPROVED,
  type ReportApprovedV1,
  type RetentionHook,
} from '#domain';
import { appendAuditEntries } from './audit-log.repository.js';
import { insertOutboxEvent } from './outbox.repository.js';
import { LIVE_REPORT_STATUSES } from '../migrations/1764700000000-signals-store.js';
import { expireRowsPerPupil } from './retention-hook.js';

/** Columns of a report row with `overdue` measured against the school-local date `$today`. */
export const REPORT_COLUMNS = (today: string) => `id, kind, status, fields, action, supersedes, board, school,
  pupil_local_id, signal_id, rule, mandatory, deadline::text AS deadline, decided_by, decided_at, dismiss_reason,
  created_at, updated_at, external_ref, closing_reason, closing_explanation, municipal_contact, status_at,
  (status = 'DRAFT' AND deadline IS NOT NULL AND deadline < ${today}::date) AS overdue`;

export interface ReportRow {
  id: string;
  kind: ReportDraft['kind'];
  status: ReportDraft['status'];
  fields: ReportDraft['fields'];
  action: ReportDraft['action'];
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

export function toReport(row: ReportRow): ReportDraft {
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

/** Inserts drafts in one statement (the evaluation's transaction). */
export async function insertReportDrafts(
  em: Pick<EntityManager, 'query'>,
  drafts: readonly NewReportDraft[],
  at: Date,
): Promise<void> {
  if (drafts.length === 0) return;
  const inserted: { id: string; board: string; status: string }[] = await em.query(
    `INSERT INTO report_draft (id, board, school, pupil_local_id, signal_id, rule, kind, status, action, supersedes,
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
  // Auto-approved drafts leave at once: the approval and its outbox event commit together (architecture §5).
  const decidedBy = new Map(drafts.map((d) => [d.id, d.decidedBy ?? 'auto-approve']));
  await announceApprovedReports(
    em,
    inserted
      .filter((row) => row.status === 'APPROVED')
      .map((row) => ({ ...row, by: decidedBy.get(row.id) ?? 'auto-approve' })),
    at,
  );
}

/**
 * For each approved report, in the caller's transaction: a REPORT_APPROVED outbox event, the APPROVED history row
 * and a REPORT_STATUS audit entry naming who approved (a staff subject or `auto-approve`).
 */
export async function announceApprovedReports(
  em: Pick<EntityManager, 'query'>,
  reports: readonly { readonly id: string; readonly board: string; readonly by: string }[],
  at: Date,
): Promise<void> {
  for (const report of reports) {
    const payload: ReportApprovedV1 = { board: report.board, reportId: report.id };
    await insertOutboxEvent(
      em,
      { ...REPORT_APPROVED, idempotencyKey: `${REPORT_APPROVED.type}:${report.id}`, payload },
      at,
    );
  }
  if (reports.length === 0) return;
  await em.query(
    `INSERT INTO report_status_history (board, report_id, status, source, at)
     SELECT x.board, x.id, 'APPROVED', 'KETENPOORT', $2 FROM jsonb_to_recordset($1::jsonb) AS x(board text, id uuid)`,
    [JSON.stringify(reports.map((r) => ({ board: r.board, id: r.id }))), at],
  );
  await appendAuditEntries(
    em,
    reports.map((r) => ({
      board: r.board,
      kind: 'REPORT_STATUS' as const,
      entry: { reportId: r.id, status: 'APPROVED', source: 'KETENPOORT', by: r.by },
    })),
    at,
  );
}

/** Reports and drafts per board and school; status changes are conditional updates (no lost decisions). */
export class TypeOrmReportDraftStore implements ReportDraftStore {
  constructor(private readonly dataSource: DataSource) {}

  async list(scope: { board: string; school: string }, filter: ReportFilter): Promise<ReportDraft[]> {
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
      `SELECT ${REPORT_COLUMNS('$3')} FROM report_draft WHERE ${where.join(' AND ')}
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
  ): Promise<ReportDraft | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    const rows: ReportRow[] = await this.dataSource.query(
      `SELECT ${REPORT_COLUMNS('$3')} FROM report_draft
       WHERE board = $1 AND id = $2::uuid AND ($4::text[] IS NULL OR school = ANY($4::text[]))`,
      [board, id, today, schools === null ? null : [...schools]],
    );
    return rows[0] ? toReport(rows[0]) : null;
  }

  async decide(
    board: string,
    id: string,
    decision: {
      readonly status: 'APPROVED' | 'DISMISSED';
      readonly by: string;
      readonly reason: string | null;
    },
    at: Date,
    today: string,
  ): Promise<ReportDraft | null> {
    return this.dataSource.transaction(async (em) => {
      const rows: ReportRow[] = await em.query(
        // As a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
        `WITH decided AS (
           UPDATE report_draft SET status = $4, decided_by = $5, decided_at = $6, dismiss_reason = $7, updated_at = $6,
             status_at = $6
           WHERE board = $1 AND id = $2::uuid AND status = 'DRAFT' RETURNING *)
         SELECT ${REPORT_COLUMNS('$3')} FROM decided`,
        [board, id, today, decision.status, decision.by, at, decision.reason],
      );
      const row = rows[0];
      if (!row) return null;
      if (row.status === 'APPROVED') {
        await announceApprovedReports(em, [{ id: row.id, board, by: decision.by }], at);
      } else {
        await appendAuditEntries(
          em,
          [
            {
              board,
              kind: 'REPORT_STATUS',
              entry: { reportId: row.id, status: row.status, source: 'KETENPOORT', by: decision.by },
            },
          ],
          at,
        );
      }
      return toReport(row);
    });
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
        'report_draft',
        input,
        "status IN ('DRAFT', 'APPROVED', 'QUEUED')",
      );
      // A case's end date (ADR 0018) goes with the case's earliest report.
      await dataSource.query(
        `DELETE FROM report_case c WHERE c.board = $1
           AND NOT EXISTS (SELECT 1 FROM report_draft r WHERE r.board = c.board AND r.id = c.case_id)`,
        [input.board],
      );
      return rows;
    },
  };
}
