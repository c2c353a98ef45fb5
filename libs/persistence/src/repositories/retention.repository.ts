import type { DataSource, EntityManager } from 'typeorm';
import {
  type NewAuditEntry,
  type PupilPurgeCategory,
  type ReceiptContext,
  type RecipientKind,
  type RetentionCandidate,
  type RetentionStore,
  SHARED_ADMINISTRATION,
} from '#domain';
import { appendAuditEntries } from './audit-log.repository.js';

/** Deletes what expired, each deletion in one transaction with its DELETION_RECEIPT entries. */
export class TypeOrmRetentionStore implements RetentionStore {
  constructor(private readonly dataSource: DataSource) {}

  async boards(): Promise<string[]> {
    const rows: { board: string }[] = await this.dataSource.query(
      `SELECT board FROM pupil UNION SELECT board FROM disclosure_request
       UNION SELECT board FROM quarantined_input UNION SELECT board FROM record_batch ORDER BY board`,
    );
    return rows.map((r) => r.board);
  }

  async heldPupils(board: string): Promise<string[]> {
    const rows: { local_id: string }[] = await this.dataSource.query(
      `SELECT local_id FROM pupil WHERE board = $1 AND legal_hold ORDER BY local_id`,
      [board],
    );
    return rows.map((r) => r.local_id);
  }

  async leftPupils(
    board: string,
    afterLocalId: string | null,
    limit: number,
    afterAdministration?: string,
  ): Promise<RetentionCandidate[]> {
    const rows: {
      board: string;
      administration: string;
      local_id: string;
      pseudonym: string;
      left_on: string;
      sector: string;
      legal_hold: boolean;
    }[] = await this.dataSource.query(
      `SELECT board, administration, local_id, pseudonym, to_char(left_on, 'YYYY-MM-DD') AS left_on, sector,
         legal_hold FROM pupil
       WHERE board = $1 AND left_on IS NOT NULL AND ($2::text IS NULL OR (local_id, administration) > ($2, $4))
       ORDER BY local_id, administration LIMIT $3`,
      [board, afterLocalId, limit, afterAdministration ?? ''],
    );
    return rows.map((r) => ({
      board: r.board,
      localId: r.local_id,
      administration: r.administration,
      pseudonym: r.pseudonym,
      leftOn: r.left_on,
      sector: r.sector,
      legalHold: r.legal_hold,
    }));
  }

  async purgePupil(
    candidate: RetentionCandidate,
    categories: readonly PupilPurgeCategory[],
    receipt: ReceiptContext,
    at: Date,
  ): Promise<Partial<Record<PupilPurgeCategory, number>>> {
    return this.dataSource.transaction(async (em) => {
      // Re-read under a row lock: a hold set after the job listed the pupil still wins.
      const administration = candidate.administration ?? null;
      const rows: { legal_hold: boolean }[] = await em.query(
        `SELECT legal_hold FROM pupil WHERE board = $1 AND local_id = $2
           AND ($3::text IS NULL OR administration = $3) FOR UPDATE`,
        [candidate.board, candidate.localId, administration],
      );
      if (rows.length === 0 || rows.some((r) => r.legal_hold)) return {};
      const counts: Partial<Record<PupilPurgeCategory, number>> = {};
      // Per school (ADR 0017) only that school's records: another school's child of the same number stays.
      const perSchool = administration === SHARED_ADMINISTRATION ? null : administration;
      const params = [candidate.board, candidate.localId, perSchool];
      const enrolment = [candidate.board, candidate.localId, administration];
      if (categories.includes('absence')) {
        // Superseded versions first: they hold the same pupil's data and are found through the current row.
        await deleteCount(
          em,
          `DELETE FROM canonical_record_version v USING canonical_record r
            WHERE v.board = r.board AND v.record_id = r.record_id AND r.board = $1 AND r.pupil_local_id = $2
              AND ($3::text IS NULL OR r.school_brin = $3)`,
          params,
        );
        counts.absence = await deleteCount(
          em,
          `DELETE FROM canonical_record WHERE board = $1 AND pupil_local_id = $2
             AND ($3::text IS NULL OR school_brin = $3)`,
          params,
        );
      }
      if (categories.includes('quarantine')) {
        counts.quarantine = await deleteCount(
          em,
          `DELETE FROM quarantined_input WHERE board = $1 AND pupil_local_id = $2
             AND ($3::text IS NULL OR school = $3)`,
          params,
        );
      }
      if (categories.includes('enrolment')) {
        // The hold history names the pupil (local id, reason): it goes with the enrolment.
        await em.query(
          `DELETE FROM legal_hold_event WHERE board = $1 AND local_id = $2 AND ($3::text IS NULL OR administration = $3)`,
          enrolment,
        );
        counts.enrolment = await deleteCount(
          em,
          `DELETE FROM pupil WHERE board = $1 AND local_id = $2 AND ($3::text IS NULL OR administration = $3)`,
          enrolment,
        );
      }
      await appendAuditEntries(
        em,
        receipts(
          candidate.board,
          Object.entries(counts).map(([category, count]) => ({
            category,
            pupil: candidate.pseudonym,
            count,
          })),
          receipt,
        ),
        at,
      );
      return counts;
    });
  }

  async purgeDisclosureRequests(
    board: string,
    recipient: RecipientKind,
    before: Date,
    receipt: ReceiptContext,
    at: Date,
  ): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const deleted: { pupil_pseudonym: string; n: string }[] = await em.query(
        `WITH deleted AS (
           DELETE FROM disclosure_request d WHERE d.board = $1 AND d.recipient_kind = $2 AND d.recorded_at < $3
             AND NOT EXISTS (SELECT 1 FROM pupil p WHERE p.board = d.board AND p.pseudonym = d.pupil_pseudonym
                             AND p.legal_hold)
           RETURNING d.pupil_pseudonym)
         SELECT pupil_pseudonym, count(*) AS n FROM deleted GROUP BY pupil_pseudonym ORDER BY pupil_pseudonym`,
        [board, recipient, before],
      );
      await appendAuditEntries(
        em,
        receipts(
          board,
          deleted.map((d) => ({
            category: 'disclosure_request',
            pupil: d.pupil_pseudonym,
            count: Number(d.n),
            recipient,
          })),
          receipt,
        ),
        at,
      );
      return deleted.reduce((sum, d) => sum + Number(d.n), 0);
    });
  }

  async purgeUnlinkedQuarantine(
    board: string,
    before: Date,
    receipt: ReceiptContext,
    at: Date,
  ): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const count = await deleteCount(
        em,
        `DELETE FROM quarantined_input WHERE board = $1 AND pupil_local_id IS NULL AND received_at < $2`,
        [board, before],
      );
      await appendAuditEntries(
        em,
        receipts(board, [{ category: 'quarantine', pupil: null, count }], receipt),
        at,
      );
      return count;
    });
  }

  async purgeEmptyBatches(board: string, receipt: ReceiptContext, at: Date): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      // Only batches that once held something and were processed: a batch still waiting for the worker stays.
      const count = await deleteCount(
        em,
        `DELETE FROM record_batch b WHERE b.board = $1 AND b.status = 'PROCESSED'
           AND b.record_count + b.quarantined_count > 0
           AND NOT EXISTS (SELECT 1 FROM canonical_record r WHERE r.batch_id = b.id)
           AND NOT EXISTS (SELECT 1 FROM quarantined_input q WHERE q.batch_id = b.id OR q.resolved_by_batch = b.id)`,
        [board],
      );
      await appendAuditEntries(
        em,
        receipts(board, [{ category: 'record_batch', pupil: null, count }], receipt),
        at,
      );
      return count;
    });
  }

  async appendReceipts(
    board: string,
    list: readonly { category: string; pupil: string | null; count: number }[],
    receipt: ReceiptContext,
    at: Date,
  ): Promise<void> {
    const entries = receipts(board, list, receipt);
    if (entries.length > 0) await this.dataSource.transaction((em) => appendAuditEntries(em, entries, at));
  }
}

/** One receipt per category (and pupil) with a non-zero count: counts and references, never values. */
function receipts(
  board: string,
  list: readonly { category: string; pupil: string | null; count: number; recipient?: string }[],
  receipt: ReceiptContext,
): NewAuditEntry[] {
  return list
    .filter((item) => item.count > 0)
    .map((item) => ({
      board,
      kind: 'DELETION_RECEIPT' as const,
      entry: {
        run: receipt.runId,
        category: item.category,
        pupil: item.pupil,
        count: item.count,
        ...(item.recipient ? { recipient: item.recipient } : {}),
        period: receipt.periods[item.category] ?? null,
        policy: receipt.policy ? { id: receipt.policy.id, version: receipt.policy.version } : null,
      },
    }));
}

async function deleteCount(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const rows: { n: string }[] = await em.query(
    `WITH deleted AS (${sql} RETURNING 1) SELECT count(*) AS n FROM deleted`,
    params,
  );
  return Number(rows[0]?.n ?? 0);
}
