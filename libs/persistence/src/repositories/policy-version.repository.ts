import type { DataSource, EntityManager } from 'typeorm';
import {
  DomainError,
  ForbiddenError,
  NotFoundError,
  type PolicyProofResult,
  type PolicyReviewFields,
  type PolicyStatus,
  type PolicyVersion,
  type PolicyVersionStore,
} from '#domain';
import { appendAuditEntries } from './audit-log.repository.js';
import { PERSISTENCE_ERRORS } from '../persistence-error-codes.js';

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
  submitted_by: string | null;
  submitted_at: Date | null;
  rejected_by: string | null;
  rejected_at: Date | null;
  rejection_reason: string | null;
}

const COLUMNS = `board, policy_id, version, text, status, to_char(effective_from, 'YYYY-MM-DD') AS effective_from,
  to_char(effective_until, 'YYYY-MM-DD') AS effective_until, created_by, created_at, approved_by, approved_at, proof,
  submitted_by, submitted_at, rejected_by, rejected_at, rejection_reason`;

/** Every version of every policy of a board is kept; only status and approval ever change, once. */
export class TypeOrmPolicyVersionStore implements PolicyVersionStore {
  constructor(private readonly dataSource: DataSource) {}

  async createDraft(
    draft: Omit<
      PolicyVersion,
      'status' | 'createdAt' | 'approvedBy' | 'approvedAt' | 'proof' | PolicyReviewFields
    > & {
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
          PERSISTENCE_ERRORS.POLICY_VERSION_EXISTS,
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

  async submit(
    board: string,
    policyId: string,
    version: string,
    by: string,
    at: Date,
  ): Promise<PolicyVersion> {
    return this.dataSource.transaction(async (em) => {
      const row = await lockedRow(em, board, policyId, version);
      if (row.status !== 'DRAFT') throw notDraft(row.status, 'submitted');
      if (row.created_by !== by) {
        throw new ForbiddenError(
          PERSISTENCE_ERRORS.POLICY_NOT_AUTHOR,
          'Only the author of a draft submits it for approval',
        );
      }
      await em.query(
        `UPDATE privacy_policy_version SET status = 'SUBMITTED', submitted_by = $4, submitted_at = $5
         WHERE board = $1 AND policy_id = $2 AND version = $3`,
        [board, policyId, version, by, at],
      );
      await appendAuditEntries(
        em,
        [{ board, kind: 'POLICY_SUBMITTED', entry: { policy: { id: policyId, version }, by } }],
        at,
      );
      return (await getIn(em, board, policyId, version))!;
    });
  }

  async reject(
    board: string,
    policyId: string,
    version: string,
    by: string,
    reason: string,
    at: Date,
  ): Promise<PolicyVersion> {
    return this.dataSource.transaction(async (em) => {
      const row = await lockedRow(em, board, policyId, version);
      if (row.status !== 'DRAFT' && row.status !== 'SUBMITTED') throw notDraft(row.status, 'rejected');
      if (row.created_by === by) {
        throw new ForbiddenError(
          PERSISTENCE_ERRORS.POLICY_FOUR_EYES,
          'A second privacy officer must decide on a draft; the author cannot reject it',
        );
      }
      await em.query(
        `UPDATE privacy_policy_version SET status = 'REJECTED', rejected_by = $4, rejected_at = $5,
           rejection_reason = $6
         WHERE board = $1 AND policy_id = $2 AND version = $3`,
        [board, policyId, version, by, at, reason],
      );
      // The reason is free text: it stays with the version; the chain records that one was given.
      await appendAuditEntries(
        em,
        [
          {
            board,
            kind: 'POLICY_REJECTED',
            entry: { policy: { id: policyId, version }, by, reasonGiven: true },
          },
        ],
        at,
      );
      return (await getIn(em, board, policyId, version))!;
    });
  }

  async approve(
    board: string,
    policyId: string,
    version: string,
    approvedBy: string,
    at: Date,
  ): Promise<PolicyVersion> {
    return this.dataSource.transaction(async (em) => {
      const row = await lockedRow(em, board, policyId, version);
      if (row.status !== 'DRAFT' && row.status !== 'SUBMITTED') throw notDraft(row.status, 'approved');
      if (row.created_by === approvedBy) {
        throw new ForbiddenError(
          PERSISTENCE_ERRORS.POLICY_FOUR_EYES,
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

async function lockedRow(
  em: EntityManager,
  board: string,
  policyId: string,
  version: string,
): Promise<{ status: string; created_by: string }> {
  const rows: { status: string; created_by: string }[] = await em.query(
    `SELECT status, created_by FROM privacy_policy_version WHERE board = $1 AND policy_id = $2 AND version = $3
     FOR UPDATE`,
    [board, policyId, version],
  );
  if (!rows[0])
    throw new NotFoundError(PERSISTENCE_ERRORS.POLICY_VERSION_NOT_FOUND, 'No such policy version');
  return rows[0];
}

/** 409: only a draft (or a submitted draft) moves on; a rejected one stays rejected (ADR 0022). */
function notDraft(status: string, verb: string): DomainError {
  if (status === 'REJECTED') {
    return new DomainError(
      PERSISTENCE_ERRORS.POLICY_REJECTED,
      'conflict',
      `This draft was rejected; it cannot be ${verb}`,
    );
  }
  if (status === 'SUBMITTED') {
    return new DomainError(
      PERSISTENCE_ERRORS.POLICY_NOT_DRAFT,
      'conflict',
      `This draft is already submitted; it cannot be ${verb} again`,
    );
  }
  return new DomainError(
    PERSISTENCE_ERRORS.POLICY_NOT_DRAFT,
    'conflict',
    `Only a draft can be ${verb}; this version is ${status}`,
  );
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
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at ? new Date(row.submitted_at).toISOString() : null,
    rejectedBy: row.rejected_by,
    rejectedAt: row.rejected_at ? new Date(row.rejected_at).toISOString() : null,
    rejectionReason: row.rejection_reason,
  };
}
