import type { DataSource } from 'typeorm';
import type { AuditKind, AuditLogBrowser, AuditSearch, AuditValue, FoundAuditEntry } from '#domain';

interface Row {
  seq: string;
  chain_seq: string | null;
  at: Date;
  kind: string;
  entry: { [key: string]: AuditValue };
  local_id: string | null;
  school_brin: string | null;
}

/**
 * The privacy officer's view of one board's audit log (issue 15 item 4, ADR 0024). Every query is bound to
 * the board; a pseudonym is turned back into the pupil only through the same board's pupil table, so another
 * board's entries and pupils never show. Filters on the entry's JSON are plain equality on its keys.
 */
export class TypeOrmAuditLogBrowser implements AuditLogBrowser {
  constructor(private readonly dataSource: DataSource) {}

  async search(query: AuditSearch): Promise<FoundAuditEntry[]> {
    if (query.pupils !== undefined && query.pupils.length === 0) return [];
    const params: unknown[] = [query.board];
    const where = ['a.board = $1'];
    const add = (clause: (n: string) => string, value: unknown): void => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (query.pupils !== undefined) add((n) => `a.entry->>'pupil' = ANY(${n}::text[])`, [...query.pupils]);
    if (query.kind !== undefined) add((n) => `a.kind = ${n}`, query.kind);
    if (query.recipient !== undefined) add((n) => `a.entry->'recipient'->>'kind' = ${n}`, query.recipient);
    if (query.purpose !== undefined) add((n) => `a.entry->>'purpose' = ${n}`, query.purpose);
    if (query.reportKind !== undefined) add((n) => `a.entry->>'reportKind' = ${n}`, query.reportKind);
    if (query.effect !== undefined) add((n) => `a.entry->>'effect' = ${n}`, query.effect);
    if (query.from !== undefined) add((n) => `a.at >= ${n}`, query.from);
    if (query.to !== undefined) add((n) => `a.at < ${n}`, query.to);
    params.push(query.limit, query.offset);
    const rows: Row[] = await this.dataSource.query(
      `SELECT a.seq, a.chain_seq, a.at, a.kind, a.entry, p.local_id, p.school_brin
         FROM audit_log a
         LEFT JOIN LATERAL (
           SELECT local_id, school_brin FROM pupil
            WHERE pupil.board = a.board AND pupil.pseudonym = a.entry->>'pupil'
            ORDER BY administration LIMIT 1
         ) p ON true
        WHERE ${where.join(' AND ')}
        ORDER BY a.seq DESC
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows.map((row) => ({
      seq: Number(row.seq),
      chainSeq: row.chain_seq === null ? null : Number(row.chain_seq),
      at: new Date(row.at).toISOString(),
      kind: row.kind as AuditKind,
      entry: row.entry,
      pupil:
        row.local_id !== null && row.school_brin !== null
          ? { localId: row.local_id, school: row.school_brin }
          : null,
    }));
  }
}
