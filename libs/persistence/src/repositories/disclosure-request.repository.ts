import type { DataSource } from 'typeorm';
import type {
  AuditValue,
  DecisionSummary,
  DisclosureLogEntry,
  DisclosureStore,
  NewAuditEntry,
  NewDisclosureRecord,
  PseudonymisedRequest,
  StoredDisclosureRequest,
} from '#domain';
import { appendAuditEntries } from './audit-log.repository.js';

interface Row {
  id: string;
  board: string;
  pupil_pseudonym: string;
  recorded_at: Date;
  request: PseudonymisedRequest;
  decision: DecisionSummary;
  sent: boolean;
}

/** Decisions and disclosures: the pseudonymised request for simulation, and the audit entries. */
export class TypeOrmDisclosureStore implements DisclosureStore {
  constructor(private readonly dataSource: DataSource) {}

  async record(entry: NewDisclosureRecord, at: Date): Promise<{ auditSeqs: number[] }> {
    return this.dataSource.transaction(async (em) => {
      await em.query(
        `INSERT INTO disclosure_request (id, board, pupil_pseudonym, recorded_at, recipient_kind, request, decision, sent)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)`,
        [
          entry.id,
          entry.board,
          entry.pupilPseudonym,
          at,
          entry.request.recipient.kind,
          JSON.stringify(entry.request),
          JSON.stringify(entry.decision),
          entry.sent,
        ],
      );
      const common = {
        pupil: entry.pupilPseudonym,
        request: entry.id,
        recipient: { kind: entry.request.recipient.kind, id: entry.request.recipient.id ?? null },
        purpose: entry.request.purpose,
        reportKind: entry.request.reportKind ?? null,
        effect: entry.decision.effect,
        released: [...entry.decision.released],
        withheld: entry.decision.withheld.map((w) => ({ field: w.field, rule: w.rule })),
        determinedBy: [...entry.decision.determinedBy],
        policy: { id: entry.decision.policy.id, version: entry.decision.policy.version },
      } satisfies Record<string, AuditValue>;
      const entries: NewAuditEntry[] = [{ board: entry.board, kind: 'DECISION', entry: common }];
      if (entry.sent) {
        entries.push({
          board: entry.board,
          kind: 'DISCLOSURE',
          entry: {
            ...common,
            legalBasis: entry.legalBasis,
            retainedUntil: entry.retainedUntil,
            reference: entry.reference,
          },
        });
      }
      const appended = await appendAuditEntries(em, entries, at);
      return { auditSeqs: appended.map((a) => a.seq) };
    });
  }

  async since(board: string, from: Date, limit: number): Promise<StoredDisclosureRequest[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT id, board, pupil_pseudonym, recorded_at, request, decision, sent FROM disclosure_request
       WHERE board = $1 AND recorded_at >= $2 ORDER BY recorded_at, id LIMIT $3`,
      [board, from, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      board: row.board,
      pupilPseudonym: row.pupil_pseudonym,
      recordedAt: new Date(row.recorded_at).toISOString(),
      request: row.request,
      decision: row.decision,
      sent: row.sent,
    }));
  }

  async disclosuresOf(board: string, pupilPseudonym: string): Promise<DisclosureLogEntry[]> {
    const rows: { seq: string; at: Date; entry: Record<string, unknown> }[] = await this.dataSource.query(
      `SELECT seq, at, entry FROM audit_log
       WHERE board = $1 AND entry ? 'pupil' AND entry->>'pupil' = $2 AND kind = 'DISCLOSURE' ORDER BY seq`,
      [board, pupilPseudonym],
    );
    return rows.map((row) => {
      const e = row.entry as {
        recipient: { kind: string; id: string | null };
        purpose: string;
        reportKind: string | null;
        released: string[];
        withheld: { field: string; rule: string }[];
        determinedBy: string[];
        policy: { id: string; version: string };
        legalBasis: string | null;
        retainedUntil: string | null;
        reference: string | null;
      };
      return {
        seq: Number(row.seq),
        at: new Date(row.at).toISOString(),
        recipient: e.recipient,
        purpose: e.purpose,
        reportKind: e.reportKind,
        released: e.released,
        withheld: e.withheld,
        determinedBy: e.determinedBy,
        policy: e.policy,
        legalBasis: e.legalBasis,
        retainedUntil: e.retainedUntil,
        reference: e.reference,
      };
    });
  }
}
