import type { DataSource } from 'typeorm';
import type {
  ControllerDetails,
  DeletionReceipt,
  IngestedSystem,
  RegisterFacts,
  LegalHoldEvent,
  PagedRows,
  RetentionBucket,
  RetentionRecords,
} from '#domain';

/**
 * The retention screen's reads (issue 15 item 5): stored rows grouped by the moment their period starts (the
 * same columns the retention job and its hooks compare), deletion receipts and the hold history. Counts only,
 * except the hold history's local ids and reasons.
 */
export class TypeOrmRetentionRecords implements RetentionRecords, RegisterFacts {
  constructor(private readonly dataSource: DataSource) {}

  async forecastBuckets(board: string): Promise<RetentionBucket[]> {
    const pupils: { left_on: string; sector: string; absence: string; quarantine: string; pupils: string }[] =
      await this.dataSource.query(
        `SELECT to_char(p.left_on, 'YYYY-MM-DD') AS left_on, p.sector, count(*) AS pupils,
           coalesce(sum((SELECT count(*) FROM canonical_record r WHERE r.board = p.board
             AND r.pupil_local_id = p.local_id
             AND (p.administration = '*' OR r.school_brin = p.administration))), 0) AS absence,
           coalesce(sum((SELECT count(*) FROM quarantined_input q WHERE q.board = p.board
             AND q.pupil_local_id = p.local_id
             AND (p.administration = '*' OR q.school = p.administration))), 0) AS quarantine
         FROM pupil p WHERE p.board = $1 AND p.left_on IS NOT NULL AND NOT p.legal_hold
         GROUP BY p.left_on, p.sector`,
        [board],
      );
    const buckets: RetentionBucket[] = [];
    for (const row of pupils) {
      const context = { sector: row.sector };
      buckets.push(
        { category: 'absence', context, from: row.left_on, alsoAfter: [], count: Number(row.absence) },
        { category: 'quarantine', context, from: row.left_on, alsoAfter: [], count: Number(row.quarantine) },
        {
          category: 'enrolment',
          context,
          from: row.left_on,
          alsoAfter: ['absence', 'quarantine'],
          count: Number(row.pupils),
        },
      );
    }
    const grouped = async (category: string, sql: string, recipient = false): Promise<void> => {
      const rows: { day: Date; n: string; recipient?: string }[] = await this.dataSource.query(sql, [board]);
      for (const r of rows) {
        buckets.push({
          category,
          context: recipient && r.recipient ? { recipient: r.recipient as never } : {},
          from: new Date(r.day).toISOString(),
          alsoAfter: [],
          count: Number(r.n),
        });
      }
    };
    // Grouped per hour: the month a group lands in is exact up to the hour (no forecast moves a row by a month).
    await grouped(
      'disclosure_request',
      `SELECT date_trunc('hour', d.recorded_at) AS day, d.recipient_kind AS recipient, count(*) AS n
       FROM disclosure_request d WHERE d.board = $1
         AND NOT EXISTS (SELECT 1 FROM pupil p WHERE p.board = d.board AND p.pseudonym = d.pupil_pseudonym
                         AND p.legal_hold)
       GROUP BY 1, 2`,
      true,
    );
    await grouped(
      'quarantine',
      `SELECT date_trunc('hour', received_at) AS day, count(*) AS n FROM quarantined_input
       WHERE board = $1 AND pupil_local_id IS NULL GROUP BY 1`,
    );
    await grouped(
      'signals',
      `SELECT date_trunc('hour', s.updated_at) AS day, count(*) AS n FROM signal s WHERE s.board = $1
         AND NOT EXISTS (SELECT 1 FROM pupil p WHERE p.board = s.board AND p.local_id = s.pupil_local_id
                         AND p.legal_hold)
       GROUP BY 1`,
    );
    await grouped(
      'report_drafts',
      `SELECT date_trunc('hour', r.updated_at) AS day, count(*) AS n FROM report r WHERE r.board = $1
         AND r.status NOT IN ('DRAFT', 'APPROVED', 'QUEUED')
         AND NOT EXISTS (SELECT 1 FROM pupil p WHERE p.board = r.board AND p.local_id = r.pupil_local_id
                         AND p.legal_hold)
       GROUP BY 1`,
    );
    return buckets.filter((b) => b.count > 0);
  }

  async heldPupilCount(board: string): Promise<number> {
    const rows: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM pupil WHERE board = $1 AND legal_hold`,
      [board],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async receipts(board: string, offset: number, limit: number): Promise<PagedRows<DeletionReceipt>> {
    const rows: { seq: string; at: Date; entry: Record<string, unknown>; total: string }[] =
      await this.dataSource.query(
        `SELECT seq, at, entry, count(*) OVER () AS total FROM audit_log
         WHERE board = $1 AND kind = 'DELETION_RECEIPT' ORDER BY seq DESC OFFSET $2 LIMIT $3`,
        [board, offset, limit],
      );
    const total =
      rows.length > 0
        ? Number(rows[0].total)
        : await this.count(
            `SELECT count(*) AS n FROM audit_log WHERE board = $1 AND kind = 'DELETION_RECEIPT'`,
            board,
          );
    return {
      total,
      items: rows.map((r) => {
        const e = r.entry;
        const policy = e['policy'] as { id?: unknown; version?: unknown } | null | undefined;
        return {
          seq: Number(r.seq),
          at: new Date(r.at).toISOString(),
          run: typeof e['run'] === 'string' ? e['run'] : null,
          category: typeof e['category'] === 'string' ? e['category'] : '',
          count: Number(e['count'] ?? 0),
          recipient: typeof e['recipient'] === 'string' ? e['recipient'] : null,
          period: typeof e['period'] === 'string' ? e['period'] : null,
          policy:
            policy && typeof policy.id === 'string' && typeof policy.version === 'string'
              ? { id: policy.id, version: policy.version }
              : null,
        };
      }),
    };
  }

  async holdEvents(board: string, offset: number, limit: number): Promise<PagedRows<LegalHoldEvent>> {
    const rows: {
      id: string;
      at: Date;
      action: 'SET' | 'LIFTED';
      local_id: string;
      school_brin: string;
      reason: string | null;
      actor: string;
      held_now: boolean | null;
      total: string;
    }[] = await this.dataSource.query(
      `SELECT e.id, e.at, e.action, e.local_id, e.school_brin, e.reason, e.actor,
         (SELECT p.legal_hold FROM pupil p WHERE p.board = e.board AND p.local_id = e.local_id
            AND p.administration = e.administration) AS held_now,
         count(*) OVER () AS total
       FROM legal_hold_event e WHERE e.board = $1 ORDER BY e.at DESC, e.id DESC OFFSET $2 LIMIT $3`,
      [board, offset, limit],
    );
    const total =
      rows.length > 0
        ? Number(rows[0].total)
        : await this.count(`SELECT count(*) AS n FROM legal_hold_event WHERE board = $1`, board);
    return {
      total,
      items: rows.map((r) => ({
        id: Number(r.id),
        at: new Date(r.at).toISOString(),
        action: r.action,
        localId: r.local_id,
        school: r.school_brin,
        reason: r.reason,
        by: r.actor,
        heldNow: r.held_now === true,
      })),
    };
  }

  async ingestedSystems(board: string): Promise<IngestedSystem[]> {
    const rows: { system: string; schools: string[] }[] = await this.dataSource.query(
      `SELECT b.source_system AS system, array_agg(DISTINCT s ORDER BY s) AS schools
       FROM record_batch b CROSS JOIN LATERAL unnest(b.schools) AS s
       WHERE b.board = $1 AND b.source_system IS NOT NULL GROUP BY b.source_system ORDER BY b.source_system`,
      [board],
    );
    return rows.map((r) => ({ system: r.system, schools: r.schools }));
  }

  async registeredPupils(board: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM pupil WHERE board = $1 LIMIT 1`, [
      board,
    ]);
    return rows.length > 0;
  }

  async boards(): Promise<string[]> {
    const rows: { board: string }[] = await this.dataSource.query(
      `SELECT board FROM pupil UNION SELECT board FROM record_batch UNION SELECT board FROM register_controller
       UNION SELECT board FROM disclosure_request ORDER BY board`,
    );
    return rows.map((r) => r.board);
  }

  async controllerDetails(board: string): Promise<ControllerDetails> {
    const rows: {
      name: string | null;
      contact: string | null;
      privacy_officer: string | null;
      updated_by: string;
      updated_at: Date;
    }[] = await this.dataSource.query(
      `SELECT name, contact, privacy_officer, updated_by, updated_at FROM register_controller WHERE board = $1`,
      [board],
    );
    const row = rows[0];
    if (!row) return { name: null, contact: null, privacyOfficer: null, updatedBy: null, updatedAt: null };
    return {
      name: row.name,
      contact: row.contact,
      privacyOfficer: row.privacy_officer,
      updatedBy: row.updated_by,
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  async saveControllerDetails(
    board: string,
    details: Pick<ControllerDetails, 'name' | 'contact' | 'privacyOfficer'>,
    by: string,
    at: Date,
  ): Promise<ControllerDetails> {
    await this.dataSource.query(
      `INSERT INTO register_controller (board, name, contact, privacy_officer, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (board) DO UPDATE SET name = $2, contact = $3, privacy_officer = $4, updated_by = $5,
         updated_at = $6`,
      [board, details.name, details.contact, details.privacyOfficer, by, at],
    );
    return this.controllerDetails(board);
  }

  private async count(sql: string, board: string): Promise<number> {
    const rows: { n: string }[] = await this.dataSource.query(sql, [board]);
    return Number(rows[0]?.n ?? 0);
  }
}
