import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  type BoardSummary,
  type BoardSummarySource,
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryFailure,
  type DeliveryFilter,
  type DeliveryRows,
  type DeliveryStatus,
  type DeliveryStore,
  type LeerplichtCaseNote,
  type LeerplichtInboxFilter,
  type LeerplichtInboxItem,
  type LeerplichtInboxReader,
  type LeerplichtRoutingFields,
  type LeerplichtInboxWriter,
  type Destination,
  type PlannedDelivery,
  REPORT_STATUSES,
  deliveryMayMove,
  type Report,
  type ReportStatusChange,
  type StoredStatusChange,
} from '#domain';
import { SqlReportRows } from './report.repository.js';

type Query = Pick<EntityManager, 'query'>;

/** The delivery lifecycle's moves (`DELIVERY_MOVES` in the domain) as SQL lists of the statuses they start from. */
const statusesMovingTo = (to: DeliveryStatus): string =>
  DELIVERY_STATUSES.filter((from) => from !== to && deliveryMayMove(from, to))
    .map((from) => `'${from}'`)
    .join(', ');
/** Claimed for an attempt (a SENDING delivery only once its lease ran out). */
const CLAIMABLE_SQL = statusesMovingTo('SENDING');
/** A person may replay these. */
const REPLAYABLE_SQL = statusesMovingTo('PENDING');

interface DeliveryRow {
  id: string;
  board: string;
  school: string;
  report_id: string;
  destination: Delivery['destination'];
  operation: Delivery['operation'];
  recipient_kind: Delivery['recipient']['kind'];
  recipient_id: string;
  idempotency_key: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  external_ref: string | null;
  last_error_code: string | null;
  last_error_reason: string | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
}

const iso = (value: Date | null): string | null => (value ? new Date(value).toISOString() : null);

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    board: row.board,
    school: row.school,
    reportId: row.report_id,
    destination: row.destination,
    operation: row.operation,
    recipient: { kind: row.recipient_kind, id: row.recipient_id },
    idempotencyKey: row.idempotency_key,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: iso(row.next_attempt_at),
    externalRef: row.external_ref,
    lastError:
      row.last_error_code === null
        ? null
        : { code: row.last_error_code, reason: row.last_error_reason ?? '' },
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    deliveredAt: iso(row.delivered_at),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Deliveries as rows inside a unit of work (ADR 0032): reads and conditional updates, the lifecycle's moves as
 * SQL guards (claims, replays) so two workers never both move one delivery. What a move means for the report, the
 * history and the audit is the dispatcher's to decide.
 */
export class SqlDeliveryRows implements DeliveryRows {
  constructor(private readonly em: Query) {}

  async find(deliveryId: string): Promise<Delivery | null> {
    if (!UUID.test(deliveryId)) return null;
    const rows: DeliveryRow[] = await this.em.query(`SELECT * FROM report_delivery WHERE id = $1::uuid`, [
      deliveryId,
    ]);
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  async ofReport(board: string, reportId: string): Promise<Delivery[]> {
    if (!UUID.test(reportId)) return [];
    const rows: DeliveryRow[] = await this.em.query(
      `SELECT * FROM report_delivery WHERE board = $1 AND report_id = $2::uuid ORDER BY created_at, destination`,
      [board, reportId],
    );
    return rows.map(toDelivery);
  }

  async takeDue(at: Date, staleAfterMs: number, limit: number): Promise<{ id: string; attempts: number }[]> {
    const rows: { id: string; attempts: number }[] = await this.em.query(
      `WITH due AS (
         SELECT id FROM report_delivery
         WHERE status IN ('PENDING', 'RETRY_WAIT', 'SENDING') AND next_attempt_at <= $1
           AND (status <> 'SENDING' OR lease_until < $1)
         ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED),
       pushed AS (
         UPDATE report_delivery d SET next_attempt_at = $1::timestamptz + ($2::int * interval '1 millisecond')
         FROM due WHERE d.id = due.id RETURNING d.id, d.attempts)
       SELECT * FROM pushed`,
      [at, Math.max(1, Math.round(staleAfterMs)), limit],
    );
    return rows.map((row) => ({ id: row.id, attempts: Number(row.attempts) }));
  }

  async insertPlanned(
    report: { readonly board: string; readonly school: string; readonly reportId: string },
    planned: readonly PlannedDelivery[],
    at: Date,
  ): Promise<void> {
    for (const p of planned) {
      await this.em.query(
        `INSERT INTO report_delivery (id, board, school, report_id, destination, operation, recipient_kind,
           recipient_id, idempotency_key, status, attempts, next_attempt_at, last_error_code, last_error_reason,
           created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, $13, $14, $14)
         ON CONFLICT (idempotency_key) DO NOTHING`,
        [
          randomUUID(),
          report.board,
          report.school,
          report.reportId,
          p.destination,
          p.operation,
          p.recipient.kind,
          p.recipient.id,
          p.idempotencyKey,
          p.skipped ? 'SKIPPED' : 'PENDING',
          p.skipped ? null : at,
          p.skipped?.code ?? null,
          p.skipped?.reason ?? null,
          at,
        ],
      );
    }
  }

  async claim(
    deliveryId: string,
    expectedAttempts: number | null,
    leaseMs: number,
    at: Date,
  ): Promise<Delivery | null> {
    const rows: DeliveryRow[] = await this.em.query(
      `WITH claimed AS (
         UPDATE report_delivery SET status = 'SENDING', attempts = attempts + 1,
           lease_until = $3::timestamptz + ($4::int * interval '1 millisecond'),
           next_attempt_at = $3::timestamptz + ($4::int * interval '1 millisecond'), updated_at = $3
         WHERE id = $1::uuid AND ($2::int IS NULL OR attempts = $2::int)
           AND (status IN (${CLAIMABLE_SQL}) OR (status = 'SENDING' AND lease_until < $3))
         RETURNING *)
       SELECT * FROM claimed`,
      [deliveryId, expectedAttempts, at, Math.max(1, Math.round(leaseMs))],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  async markDelivered(deliveryId: string, externalRef: string | null, at: Date): Promise<Delivery | null> {
    const rows: DeliveryRow[] = await this.em.query(
      `WITH done AS (
         UPDATE report_delivery SET status = 'DELIVERED', external_ref = COALESCE($2, external_ref),
           delivered_at = $3, updated_at = $3, lease_until = NULL, next_attempt_at = NULL,
           last_error_code = NULL, last_error_reason = NULL
         WHERE id = $1::uuid AND status <> 'DELIVERED' RETURNING *)
       SELECT * FROM done`,
      [deliveryId, externalRef, at],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  async markFailed(deliveryId: string, failure: DeliveryFailure, at: Date): Promise<Delivery | null> {
    const rows: DeliveryRow[] = await this.em.query(
      `WITH failed AS (
         UPDATE report_delivery SET status = $2, last_error_code = $3, last_error_reason = $4,
           next_attempt_at = $5, lease_until = NULL, updated_at = $6,
           attempts = CASE WHEN $7::boolean THEN greatest(attempts - 1, 0) ELSE attempts END
         WHERE id = $1::uuid AND status = 'SENDING' RETURNING *)
       SELECT * FROM failed`,
      [
        deliveryId,
        failure.outcome,
        failure.code,
        failure.reason.slice(0, 2000),
        failure.nextAttemptAt,
        at,
        failure.refundAttempt,
      ],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  async reopen(board: string, deliveryId: string, at: Date): Promise<Delivery | null> {
    if (!UUID.test(deliveryId)) return null;
    const rows: DeliveryRow[] = await this.em.query(
      `WITH replayed AS (
         UPDATE report_delivery SET status = 'PENDING', attempts = 0, next_attempt_at = $3, lease_until = NULL,
           updated_at = $3
         WHERE board = $1 AND id = $2::uuid AND status IN (${REPLAYABLE_SQL}) RETURNING *)
       SELECT * FROM replayed`,
      [board, deliveryId, at],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }
}

/** Deliveries and the report lifecycle after approval (ADR 0011): the reads; changes go through the unit of work. */
export class TypeOrmDeliveryStore implements DeliveryStore {
  constructor(private readonly dataSource: DataSource) {}

  async report(board: string, reportId: string): Promise<Report | null> {
    return new SqlReportRows(this.dataSource).get(board, reportId);
  }

  ofReport(board: string, reportId: string): Promise<Delivery[]> {
    return new SqlDeliveryRows(this.dataSource).ofReport(board, reportId);
  }

  find(deliveryId: string): Promise<Delivery | null> {
    return new SqlDeliveryRows(this.dataSource).find(deliveryId);
  }

  async findByExternalRef(
    destination: Destination,
    externalRef: string,
    board?: string,
  ): Promise<Delivery | null> {
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT * FROM report_delivery WHERE destination = $1 AND external_ref = $2 AND operation = 'REGISTER'
         AND ($3::text IS NULL OR board = $3)
       ORDER BY delivered_at DESC NULLS LAST LIMIT 1`,
      [destination, externalRef, board ?? null],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  async anyDue(at: Date): Promise<boolean> {
    const due: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM report_delivery WHERE status IN ('PENDING', 'RETRY_WAIT', 'SENDING') AND next_attempt_at <= $1
         AND (status <> 'SENDING' OR lease_until < $1) LIMIT 1`,
      [at],
    );
    return due.length > 0;
  }

  async list(filter: DeliveryFilter): Promise<Delivery[]> {
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT * FROM report_delivery
       WHERE board = $1 AND ($2::text[] IS NULL OR school = ANY($2::text[])) AND status = ANY($3::text[])
       ORDER BY updated_at DESC, id LIMIT $4`,
      [
        filter.board,
        filter.schools === null ? null : [...filter.schools],
        [...filter.statuses],
        filter.limit,
      ],
    );
    return rows.map(toDelivery);
  }

  async history(board: string, reportId: string): Promise<StoredStatusChange[]> {
    if (!UUID.test(reportId)) return [];
    const rows: {
      report_id: string;
      status: string;
      source: ReportStatusChange['source'];
      closing_reason: ReportStatusChange['closingReason'];
      closing_explanation: ReportStatusChange['closingExplanation'];
      contact: string | null;
      detail: string | null;
      school_fields: string[] | null;
      at: Date;
    }[] = await this.dataSource.query(
      `SELECT * FROM report_status_history WHERE board = $1 AND report_id = $2::uuid ORDER BY id`,
      [board, reportId],
    );
    return rows.map((r) => ({
      reportId: r.report_id,
      status: r.status,
      at: new Date(r.at).toISOString(),
      source: r.source,
      closingReason: r.closing_reason,
      closingExplanation: r.closing_explanation,
      contact: r.contact,
      detail: r.detail,
      schoolFields: r.school_fields,
    }));
  }

  async cursor(name: string): Promise<Date | null> {
    const rows: { at: Date }[] = await this.dataSource.query(
      `SELECT at FROM connector_cursor WHERE name = $1`,
      [name],
    );
    return rows[0] ? new Date(rows[0].at) : null;
  }

  async setCursor(name: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO connector_cursor (name, at) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET at = EXCLUDED.at`,
      [name, at],
    );
  }

  async counts(
    board: string | null,
    schools: readonly string[] | null = null,
  ): Promise<Record<DeliveryStatus, number>> {
    const rows: { status: DeliveryStatus; n: string }[] = await this.dataSource.query(
      `SELECT status, count(*) AS n FROM report_delivery
       WHERE ($1::text IS NULL OR board = $1) AND ($2::text[] IS NULL OR school = ANY($2::text[])) GROUP BY status`,
      [board, schools === null ? null : [...schools]],
    );
    const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }
}

interface InboxRow {
  report_id: string;
  jwe: string;
  stored_at: Date;
  board: string;
  operation: LeerplichtInboxItem['operation'];
  kind: LeerplichtInboxItem['kind'];
  school: string | null;
  location_name: string | null;
  period_begin: string | null;
  period_end: string | null;
  age_group: LeerplichtInboxItem['ageGroup'];
  status: LeerplichtInboxItem['status'];
  status_at: Date | null;
}

/** Columns of an inbox entry with where its report stands (report: the furthest point of every source). */
const INBOX_SELECT = `SELECT i.report_id, i.jwe, i.stored_at, i.board, i.operation, i.kind, i.school, i.location_name,
    to_char(i.period_begin, 'YYYY-MM-DD') AS period_begin, to_char(i.period_end, 'YYYY-MM-DD') AS period_end,
    i.age_group, r.status, r.status_at
  FROM leerplicht_inbox i LEFT JOIN report r ON r.board = i.board AND r.id = i.report_id`;

function toInboxItem(r: InboxRow): LeerplichtInboxItem & { board: string } {
  return {
    reportId: r.report_id,
    jwe: r.jwe,
    storedAt: new Date(r.stored_at).toISOString(),
    board: r.board,
    operation: r.operation ?? null,
    kind: r.kind ?? null,
    school: r.school,
    locationName: r.location_name,
    periodBegin: r.period_begin,
    periodEnd: r.period_end,
    ageGroup: r.age_group ?? null,
    status: r.status ?? null,
    statusAt: iso(r.status_at),
  };
}

/** The leerplicht inbox (`GET /v1/leerplicht/{gemeentecode}/reports`): signed, encrypted reports per municipality. */
export class TypeOrmLeerplichtInbox implements LeerplichtInboxWriter, LeerplichtInboxReader {
  constructor(private readonly dataSource: DataSource) {}

  async put(entry: {
    readonly gemeentecode: string;
    readonly reportId: string;
    readonly board: string;
    readonly idempotencyKey: string;
    readonly jwe: string;
    readonly at: Date;
    readonly routing?: LeerplichtRoutingFields;
  }): Promise<void> {
    const r = entry.routing;
    await this.dataSource.query(
      `INSERT INTO leerplicht_inbox (gemeentecode, board, report_id, idempotency_key, jwe, stored_at,
         operation, kind, school, location_name, period_begin, period_end, age_group)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::date, $12::date, $13)
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [
        entry.gemeentecode,
        entry.board,
        entry.reportId,
        entry.idempotencyKey,
        entry.jwe,
        entry.at,
        r?.operation ?? null,
        r?.kind ?? null,
        r?.school ?? null,
        r?.locationName ?? null,
        r?.periodBegin ?? null,
        r?.periodEnd ?? null,
        r?.ageGroup ?? null,
      ],
    );
  }

  /** Oldest first, after the cursor (`since`: a stored-at instant, exclusive), narrowed by the filter. */
  async list(
    gemeentecode: string,
    since: Date | null,
    limit: number,
    filter: LeerplichtInboxFilter = {},
  ): Promise<(LeerplichtInboxItem & { board: string })[]> {
    const rows: InboxRow[] = await this.dataSource.query(
      `${INBOX_SELECT}
       WHERE i.gemeentecode = $1 AND ($2::timestamptz IS NULL OR i.stored_at > $2)
         AND ($4::text IS NULL OR i.school = $4) AND ($5::text IS NULL OR i.kind = $5)
         AND ($6::text IS NULL OR r.status = $6)
         AND ($7::timestamptz IS NULL OR i.stored_at >= $7) AND ($8::timestamptz IS NULL OR i.stored_at < $8)
         AND ($9::text IS NULL OR i.age_group = $9)
       ORDER BY i.stored_at, i.id LIMIT $3`,
      [
        gemeentecode,
        since,
        limit,
        filter.school ?? null,
        filter.kind ?? null,
        filter.status ?? null,
        filter.receivedFrom ?? null,
        filter.receivedTo ?? null,
        filter.ageGroup ?? null,
      ],
    );
    return rows.map(toInboxItem);
  }

  async entries(
    gemeentecode: string,
    reportId: string,
  ): Promise<(LeerplichtInboxItem & { board: string })[]> {
    if (!UUID.test(reportId)) return [];
    const rows: InboxRow[] = await this.dataSource.query(
      `${INBOX_SELECT} WHERE i.gemeentecode = $1 AND i.report_id = $2::uuid ORDER BY i.stored_at, i.id`,
      [gemeentecode, reportId],
    );
    return rows.map(toInboxItem);
  }

  async addCaseNote(note: {
    readonly gemeentecode: string;
    readonly reportId: string;
    readonly jwe: string;
    readonly officer: string;
    readonly at: Date;
  }): Promise<LeerplichtCaseNote> {
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO leerplicht_case_note (gemeentecode, report_id, jwe, officer, created_at)
       VALUES ($1, $2::uuid, $3, $4, $5) RETURNING id`,
      [note.gemeentecode, note.reportId, note.jwe, note.officer, note.at],
    );
    return {
      id: String(rows[0].id),
      reportId: note.reportId,
      jwe: note.jwe,
      officer: note.officer,
      createdAt: note.at.toISOString(),
    };
  }

  async caseNotes(gemeentecode: string, reportId: string): Promise<LeerplichtCaseNote[]> {
    if (!UUID.test(reportId)) return [];
    const rows: { id: string; report_id: string; jwe: string; officer: string; created_at: Date }[] =
      await this.dataSource.query(
        `SELECT id, report_id, jwe, officer, created_at FROM leerplicht_case_note
         WHERE gemeentecode = $1 AND report_id = $2::uuid ORDER BY id`,
        [gemeentecode, reportId],
      );
    return rows.map((r) => ({
      id: String(r.id),
      reportId: r.report_id,
      jwe: r.jwe,
      officer: r.officer,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }

  /** The delivery behind an inbox entry, so an officer's status lands on the right report. */
  async deliveryOf(gemeentecode: string, reportId: string): Promise<string | null> {
    if (!UUID.test(reportId)) return null;
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT d.id FROM report_delivery d
       WHERE d.destination = 'LEERPLICHT' AND d.recipient_id = $1 AND d.report_id = $2::uuid
       ORDER BY d.created_at LIMIT 1`,
      [gemeentecode, reportId],
    );
    return rows[0]?.id ?? null;
  }
}

/** Counts for `GET /v1/chain/summary` and the demo's closing line; one statement per table, no personal data. */
export class TypeOrmBoardSummary implements BoardSummarySource {
  constructor(
    private readonly dataSource: DataSource,
    /** Delta rows of a board's record tally kept before they are folded (one per school and statement). */
    private readonly foldAt = 500,
  ) {}

  async summary(board: string, schools: readonly string[] | null = null): Promise<BoardSummary> {
    // $2: the caller's schools, or NULL for the whole board. Rows without a school count for the board only.
    const scope = schools === null ? null : [...schools];
    const one = async (sql: string): Promise<number> => {
      const rows: { n: string }[] = await this.dataSource.query(sql, [board, scope]);
      return Number(rows[0]?.n ?? 0);
    };
    const inScope = (column: string): string => `($2::text[] IS NULL OR ${column} = ANY($2::text[]))`;
    const pupils = await one(
      `SELECT count(*) AS n FROM pupil WHERE board = $1 AND ${inScope('school_brin')}`,
    );
    const records = await this.records(board, scope);
    const signals = await one(`SELECT count(*) AS n FROM signal WHERE board = $1 AND ${inScope('school')}`);
    const open = await one(
      `SELECT count(*) AS n FROM signal WHERE board = $1 AND status = 'OPEN' AND ${inScope('school')}`,
    );
    // A disclosure names its pupil by pseudonym; a school's staff count those of their schools' pupils.
    const disclosures = await one(
      `SELECT count(*) AS n FROM audit_log a WHERE a.board = $1 AND a.kind = 'DISCLOSURE'
         AND ($2::text[] IS NULL OR EXISTS (SELECT 1 FROM pupil p WHERE p.board = a.board
           AND p.pseudonym = a.entry->>'pupil' AND p.school_brin = ANY($2::text[])))`,
    );
    const registeredAtDuo = await one(
      `SELECT count(*) AS n FROM report
       WHERE board = $1 AND action = 'REPORT' AND external_ref IS NOT NULL AND ${inScope('school')}`,
    );
    const byStatus: { status: string; n: string }[] = await this.dataSource.query(
      `SELECT status, count(*) AS n FROM report WHERE board = $1 AND action = 'REPORT' AND ${inScope('school')}
       GROUP BY status`,
      [board, scope],
    );
    const reports: Record<string, number> = Object.fromEntries(REPORT_STATUSES.map((s) => [s, 0]));
    for (const row of byStatus) reports[row.status] = Number(row.n);
    return {
      board,
      schools: scope,
      pupils,
      records,
      signals: { total: signals, open },
      reports: { ...reports, registeredAtDuo },
      deliveries: await new TypeOrmDeliveryStore(this.dataSource).counts(board, scope),
      disclosures,
    };
  }

  /**
   * Live records in scope, from the tally the triggers keep (migration 1765550000000) instead of a scan of
   * `canonical_record`. Once a board has more than `foldAt` delta rows they are folded into one per school:
   * the deletion and the sums are one statement, so a concurrent fold or a batch committing meanwhile counts once.
   */
  private async records(board: string, scope: readonly string[] | null): Promise<number> {
    const rows: { n: string | null; rows: string }[] = await this.dataSource.query(
      `SELECT sum(n) FILTER (WHERE $2::text[] IS NULL OR school_brin = ANY($2::text[])) AS n, count(*) AS rows
       FROM record_tally WHERE board = $1`,
      [board, scope],
    );
    if (Number(rows[0]?.rows ?? 0) > this.foldAt) {
      await this.dataSource.query(
        `WITH gone AS (DELETE FROM record_tally WHERE board = $1 RETURNING school_brin, n)
         INSERT INTO record_tally (board, school_brin, n)
         SELECT $1, school_brin, sum(n) FROM gone GROUP BY school_brin`,
        [board],
      );
    }
    return Number(rows[0]?.n ?? 0);
  }
}
