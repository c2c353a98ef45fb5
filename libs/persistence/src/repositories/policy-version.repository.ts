import type { DataSource, EntityManager } from 'typeorm';
import {
  DomainError,
  ForbiddenError,
  NotFoundError,
  type PolicyProofResult,
  type PolicyStatus,
  type PolicyVersion,
  type PolicyVersionStore,
} from '#domain';
import { appendAuditEntries } from './audit-log.repository.js';

interface Row {
  board: string;
  policy_id: string;
  version: string;
  text: string;
  status: string;
  effective_from: string;
  effective_until: string | null;
  created_by: string;
  created_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
  proof: PolicyProofResult | string | null;
}

const COLUMNS = `board, policy_id, version, text, status, to_char(effective_from, 'YYYY-MM-DD') AS effective_from,
  to_char(effective_until, 'YYYY-MM-DD') AS effective_until, created_by, created_at, approved_by, approved_at, proof`;

/** Every version of every policy of a board is kept; only status and approval ever change, once. */
export class TypeOrmPolicyVersionStore implements PolicyVersionStore {
  constructor(private readonly dataSource: DataSource) {}

  async createDraft(
    draft: Omit<PolicyVersion, 'status' | 'createdAt' | 'approvedBy' | 'approvedAt' | 'proof'> & {
      readonly proof?: PolicyProofResult | null;
    },
    at: Date,
  ): Promise<PolicyVersion> {
    return this.dataSource.transaction(async (em) => {
      const inserted: unknown[] = await em.query(
        `INSERT INTO privacy_policy_version (board, policy_id, version, text, status, effective_from,
           effective_until, created_by, created_at, proof)
         VALUES ($1, $2, $3, $4, 'DRAFT', $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING 1`,
        [
          draft.board,
          draft.policyId,
          draft.version,
          draft.text,
          draft.effectiveFrom,
          draft.effectiveUntil,
          draft.createdBy,
          at,
          draft.proof == null ? null : JSON.stringify(draft.proof),
        ],
      );
      if (inserted.length === 0) {
        throw new DomainError(
          'POLICY_VERSION_EXISTS',
          'conflict',
          'This policy version exists; versions are never replaced',
        );
      }
      await appendAuditEntries(
        em,
        [
          {
            board: draft.board,
            kind: 'POLICY_DRAFTED',
            entry: {
              policy: { id: draft.policyId, version: draft.version },
              by: draft.createdBy,
              proofHolds: draft.proof?.holds ?? null,
            },
          },
        ],
        at,
      );
      return (await getIn(em, draft.board, draft.policyId, draft.version))!;
    });
  }

  async list(board: string, policyId: string): Promise<PolicyVersion[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM privacy_policy_version WHERE board = $1 AND policy_id = $2 ORDER BY created_at, version`,
      [board, policyId],
    );
    return rows.map(toVersion);
  }

  async listAll(board: string): Promise<PolicyVersion[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM privacy_policy_version WHERE board = $1 ORDER BY policy_id, created_at, version`,
      [board],
    );
    return rows.map(toVersion);
  }

  async get(board: string, policyId: string, version: string): Promise<PolicyVersion | null> {
    return getIn(this.dataSource.manager, board, policyId, version);
  }

  async approve(
    board: string,
    policyId: string,
    version: string,
    approvedBy: string,
    at: Date,
  ): Promise<PolicyVersion> {
    return this.dataSource.transaction(async (em) => {
      const rows: { status: string; created_by: string }[] = await em.query(
        `SELECT status, created_by FROM privacy_policy_version WHERE board = $1 AND policy_id = $2 AND version = $3
         FOR UPDATE`,
        [board, policyId, version],
      );
      const row = rows[0];
      if (!row) throw new NotFoundError('POLICY_VERSION_NOT_FOUND', 'No such policy version');
      if (row.status !== 'DRAFT') {
        throw new DomainError(
          'POLICY_NOT_DRAFT',
          'conflict',
          'Only a draft can be approved; this version already is',
        );
      }
      if (row.created_by === approvedBy) {
        throw new ForbiddenError(
          'POLICY_FOUR_EYES',
          'A second privacy officer must approve; the author cannot',
        );
      }
      await em.query(
        `UPDATE privacy_policy_version SET status = 'APPROVED', approved_by = $4, approved_at = $5
         WHERE board = $1 AND policy_id = $2 AND version = $3`,
        [board, policyId, version, approvedBy, at],
      );
      await appendAuditEntries(
        em,
        [{ board, kind: 'POLICY_APPROVED', entry: { policy: { id: policyId, version }, by: approvedBy } }],
        at,
      );
      return (await getIn(em, board, policyId, version))!;
    });
  }

  async effectiveAt(board: string, at: Date, policyId?: string): Promise<PolicyVersion | null> {
    // Effective dates are school-local days; the moment's date in Europe/Amsterdam decides.
    const params: unknown[] = [board, at];
    let filter = '';
    if (policyId !== undefined) {
      params.push(policyId);
      filter = ' AND policy_id = $3';
    }
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM privacy_policy_version
       WHERE board = $1 AND status = 'APPROVED' AND approved_at <= $2${filter}
         AND effective_from <= ($2::timestamptz AT TIME ZONE 'Europe/Amsterdam')::date
         AND (effective_until IS NULL OR effective_until > ($2::timestamptz AT TIME ZONE 'Europe/Amsterdam')::date)
       ORDER BY approved_at DESC, effective_from DESC LIMIT 1`,
      params,
    );
    return rows[0] ? toVersion(rows[0]) : null;
  }
}

async function getIn(
  em: EntityManager,
  board: string,
  policyId: string,
  version: string,
): Promise<PolicyVersion | null> {
  const rows: Row[] = await em.query(
    `SELECT ${COLUMNS} FROM privacy_policy_version WHERE board = $1 AND policy_id = $2 AND version = $3`,
    [board, policyId, version],
  );
  return rows[0] ? toVersion(rows[0]) : null;
}

function toVersion(row: Row): PolicyVersion {
  return {
    board: row.board,
    policyId: row.policy_id,
    version: row.version,
    text: row.text,
    status: row.status as PolicyStatus,
    effectiveFrom: row.effective_from,
    effectiveUntil: row.effective_until,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    approvedBy: row.approved_by,
    approvedAt: row.approved_at ? new Date(row.approved_at).toISOString() : null,
    // PGlite and pg both parse jsonb; a driver that hands text is read too.
    proof: typeof row.proof === 'string' ? (JSON.parse(row.proof) as PolicyProofResult) : row.proof,
  };
}
