import {
  type Actor,
  type Clock,
  DomainError,
  NotFoundError,
  type PolicyEngine,
  type PolicyProofResult,
  type PolicyVersion,
  type PolicyVersionStore,
  ValidationError,
  requireRole,
} from '#domain';
import { type PolicyOverview, parsePolicy, policyOverview } from '#privacy';
import type { PolicyResolver } from '../privacy-engine/index.js';
import { proofFailedError } from '../privacy-engine/index.js';
import { POLICY_VERSIONS_ERRORS } from './policy-versions-error-codes.js';

/** A version in a listing: everything but the text, with whether its proof holds. */
export interface PolicyVersionSummary extends Omit<PolicyVersion, 'board' | 'policyId' | 'text' | 'proof'> {
  /**
   * The day this version took effect (`YYYY-MM-DD`, Europe/Amsterdam): the later of its effectiveFrom and
   * the day it was approved; null when it never did (not approved).
   */
  readonly tookEffectOn: string | null;
  /** The stored proof's verdict; null for a version stored before proofs (proven before it may decide). */
  readonly proofHolds: boolean | null;
}

export interface PolicyListing {
  readonly items: readonly {
    readonly policyId: string;
    /** The version of this policy in force now; null when none. */
    readonly inForce: string | null;
    readonly versions: readonly PolicyVersionSummary[];
  }[];
  /** The policy that applies now: a board version, or the shipped default when none is in force. */
  readonly inForce: { readonly id: string; readonly version: string; readonly source: 'board' | 'default' };
  readonly default: { readonly id: string; readonly version: string };
}

/** The policy in force for a policy id: the board's version, or the shipped default that applies instead. */
export type EffectivePolicy =
  | (PolicyVersion & { readonly source: 'board' })
  | {
      readonly source: 'default';
      readonly policyId: string;
      readonly version: string;
      readonly text: string;
      /** Dutch, for the privacy officer. */
      readonly note: string;
    };

const MAX_POLICY_TEXT = 256 * 1024;
const MAX_REASON = 2_000;

/**
 * The policy lifecycle of privacy.md §1: a privacy officer drafts a version (validated by the engine), a
 * second privacy officer approves it, every version is kept, and the version in force at any moment can be
 * reconstructed.
 */
export class PolicyVersionsUseCase {
  constructor(
    private readonly policies: PolicyVersionStore,
    private readonly engine: PolicyEngine,
    private readonly clock: Clock,
    private readonly resolver: PolicyResolver,
  ) {}

  async createDraft(actor: Actor, text: unknown): Promise<PolicyVersion> {
    const board = officerBoard(actor);
    requirePolicyText(text);
    const validated = this.engine.validate(text);
    if (!validated.ok)
      throw new ValidationError(
        POLICY_VERSIONS_ERRORS.POLICY_INVALID,
        'The policy was refused; nothing was stored',
        validated.issues,
      );
    const meta = validated.value;
    // The exhaustive proof (seconds) runs before anything is stored; its verdict is stored with the draft.
    const proof: PolicyProofResult = this.engine.prove(text);
    return this.policies.createDraft(
      {
        board,
        policyId: meta.id,
        version: meta.version,
        text,
        effectiveFrom: meta.effectiveFrom,
        effectiveUntil: meta.effectiveUntil ?? null,
        createdBy: actor.subject,
        proof,
      },
      this.clock.now(),
    );
  }

  /** Every policy of the board with its versions and status, and what applies now. */
  async listAll(actor: Actor): Promise<PolicyListing> {
    const board = officerBoard(actor);
    const now = this.clock.now();
    const versions = await this.policies.listAll(board);
    const byId = new Map<string, PolicyVersion[]>();
    for (const v of versions) byId.set(v.policyId, [...(byId.get(v.policyId) ?? []), v]);
    const current = await this.policies.effectiveAt(board, now);
    const d = this.resolver.defaultPolicy;
    return {
      items: [...byId.entries()].map(([policyId, list]) => ({
        policyId,
        inForce: current && current.policyId === policyId ? current.version : null,
        versions: list.map(summaryOf),
      })),
      inForce: current
        ? { id: current.policyId, version: current.version, source: 'board' }
        : { id: d.id, version: d.version, source: 'default' },
      default: { id: d.id, version: d.version },
    };
  }

  /**
   * The policy in force now in plain terms (issue 15 item 1): who receives which fields, for what, on what
   * basis and for how long, the retention per category and the statutory floor; with where it comes from.
   */
  async overview(actor: Actor): Promise<
    PolicyOverview & {
      readonly source: 'board' | 'default';
      readonly approvedBy: string | null;
      readonly approvedAt: string | null;
      readonly createdBy: string | null;
    }
  > {
    const board = officerBoard(actor);
    const current = await this.policies.effectiveAt(board, this.clock.now());
    const text = current?.text ?? this.resolver.defaultPolicy.text;
    const parsed = parsePolicy(text);
    if (!parsed.ok) {
      throw new DomainError(
        POLICY_VERSIONS_ERRORS.STORED_POLICY_INVALID,
        'internal',
        'The policy in force cannot be read',
        parsed.issues,
      );
    }
    return {
      ...policyOverview(parsed.value),
      source: current ? 'board' : 'default',
      approvedBy: current?.approvedBy ?? null,
      approvedAt: current?.approvedAt ?? null,
      createdBy: current?.createdBy ?? null,
    };
  }

  /** Every version of one policy; an id the board never stored (and not the default's) is a 404. */
  async list(actor: Actor, policyId: string): Promise<PolicyVersion[]> {
    const found = await this.policies.list(officerBoard(actor), policyId);
    if (found.length === 0)
      throw new NotFoundError(POLICY_VERSIONS_ERRORS.POLICY_NOT_FOUND, 'No such policy');
    return found;
  }

  async get(actor: Actor, policyId: string, version: string): Promise<PolicyVersion> {
    const found = await this.policies.get(officerBoard(actor), policyId, version);
    if (!found)
      throw new NotFoundError(POLICY_VERSIONS_ERRORS.POLICY_VERSION_NOT_FOUND, 'No such policy version');
    return found;
  }

  /**
   * The author hands a draft to a second privacy officer (ADR 0022). A draft that fails its proof is not
   * submitted (422 POLICY_PROOF_FAILED): the second officer is asked only to approve what can come into force.
   */
  async submit(actor: Actor, policyId: string, version: string): Promise<PolicyVersion> {
    const board = officerBoard(actor);
    const draft = await this.policies.get(board, policyId, version);
    if (!draft)
      throw new NotFoundError(POLICY_VERSIONS_ERRORS.POLICY_VERSION_NOT_FOUND, 'No such policy version');
    if (draft.status === 'DRAFT') {
      const proof = this.engine.prove(draft.text);
      if (!proof.holds) throw proofFailedError({ id: policyId, version }, proof);
    }
    return this.policies.submit(board, policyId, version, actor.subject, this.clock.now());
  }

  /**
   * A second privacy officer refuses a draft (submitted or not) with a reason (ADR 0022); the author cannot
   * (403 POLICY_FOUR_EYES); a reason is required (400 REJECTION_REASON_MISSING). A rejected version never
   * comes into force; the author drafts a new version instead.
   */
  async reject(
    actor: Actor,
    policyId: string,
    version: string,
    rejection: PolicyRejection,
  ): Promise<PolicyVersion> {
    const board = officerBoard(actor);
    return this.policies.reject(board, policyId, version, actor.subject, rejection.reason, this.clock.now());
  }

  /**
   * Four eyes: the store refuses an approval by the author (POLICY_FOUR_EYES) or of a non-draft
   * (POLICY_NOT_DRAFT). A draft that fails the proof is refused first, whoever approves: 422
   * POLICY_PROOF_FAILED naming each failing invariant with a counterexample. The proof is run again here
   * (by this engine's floor), not read from the stored verdict.
   */
  async approve(actor: Actor, policyId: string, version: string): Promise<PolicyVersion> {
    const board = officerBoard(actor);
    const draft = await this.policies.get(board, policyId, version);
    if (!draft)
      throw new NotFoundError(POLICY_VERSIONS_ERRORS.POLICY_VERSION_NOT_FOUND, 'No such policy version');
    if (draft.status === 'DRAFT' || draft.status === 'SUBMITTED') {
      const proof = this.engine.prove(draft.text);
      if (!proof.holds) throw proofFailedError({ id: policyId, version }, proof);
    }
    return this.policies.approve(board, policyId, version, actor.subject, this.clock.now());
  }

  /**
   * The policy in force at a moment for this policy id: the board's approved version, else (when the id is
   * the board's or the default's) the shipped default that applies instead. Never a 404 while the default
   * applies; an id the board never stored is a 404.
   */
  async effectiveAt(actor: Actor, policyId: string, at: string | undefined): Promise<EffectivePolicy> {
    const board = officerBoard(actor);
    const moment = at === undefined ? this.clock.now() : parseMoment(at);
    const found = await this.policies.effectiveAt(board, moment, policyId);
    if (found) return { ...found, source: 'board' };
    const d = this.resolver.defaultPolicy;
    const known = policyId === d.id || (await this.policies.list(board, policyId)).length > 0;
    if (!known) throw new NotFoundError(POLICY_VERSIONS_ERRORS.POLICY_NOT_FOUND, 'No such policy');
    const applying = await this.policies.effectiveAt(board, moment);
    if (applying) {
      return {
        ...applying,
        source: 'board',
      };
    }
    return {
      source: 'default',
      policyId: d.id,
      version: d.version,
      text: d.text,
      note: 'Het bestuur heeft op dit moment geen goedgekeurde versie in werking; het standaardbeleid van ketenpoort geldt.',
    };
  }
}

/** Why a second privacy officer rejects a draft (`POST …/reject`). */
export interface PolicyRejection {
  readonly reason: string;
}

/** A rejection body `{ reason }`: a non-empty text (trimmed) of at most 2000 characters; else 400 REJECTION_REASON_MISSING. */
export function parsePolicyRejection(body: unknown): PolicyRejection {
  const reason =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['reason'] : undefined;
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (text === '' || text.length > MAX_REASON) {
    throw new ValidationError(
      POLICY_VERSIONS_ERRORS.REJECTION_REASON_MISSING,
      'Give the reason for rejecting the draft',
      [
        {
          field: 'reason',
          code: POLICY_VERSIONS_ERRORS.REJECTION_REASON_MISSING,
          message: `a non-empty text of at most ${MAX_REASON} characters`,
        },
      ],
    );
  }
  return { reason: text };
}

/** 400 POLICY_TEXT_MISSING unless a non-empty policy text of at most 256 KiB. */
export function requirePolicyText(text: unknown): asserts text is string {
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_POLICY_TEXT) {
    throw new ValidationError(
      POLICY_VERSIONS_ERRORS.POLICY_TEXT_MISSING,
      'Send the policy text (YAML) as "text"',
      [
        {
          field: 'text',
          code: POLICY_VERSIONS_ERRORS.POLICY_TEXT_MISSING,
          message: `a non-empty string of at most ${MAX_POLICY_TEXT} characters`,
        },
      ],
    );
  }
}

export function officerBoard(actor: Actor): string {
  requireRole(actor, ['privacy_officer'], 'Only a privacy officer manages privacy policies');
  return actor.board;
}

/** `YYYY-MM-DD` (start of that day in Europe/Amsterdam is close enough: noon UTC lies inside it) or an ISO instant. */
function parseMoment(text: string): Date {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T12:00:00Z` : text;
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ValidationError(
      POLICY_VERSIONS_ERRORS.MOMENT_INVALID,
      'at must be a date or an ISO 8601 instant',
      [
        {
          field: 'at',
          code: POLICY_VERSIONS_ERRORS.MOMENT_INVALID,
          message: 'e.g. 2026-03-01 or 2026-03-01T09:00:00+01:00',
        },
      ],
    );
  }
  return new Date(ms);
}

function summaryOf(v: PolicyVersion): PolicyVersionSummary {
  return {
    version: v.version,
    status: v.status,
    effectiveFrom: v.effectiveFrom,
    effectiveUntil: v.effectiveUntil,
    createdBy: v.createdBy,
    createdAt: v.createdAt,
    approvedBy: v.approvedBy,
    approvedAt: v.approvedAt,
    submittedBy: v.submittedBy,
    submittedAt: v.submittedAt,
    rejectedBy: v.rejectedBy,
    rejectedAt: v.rejectedAt,
    rejectionReason: v.rejectionReason,
    tookEffectOn: tookEffectOn(v),
    proofHolds: v.proof?.holds ?? null,
  };
}

const AMSTERDAM_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The later of effectiveFrom and the Amsterdam day of approval; null when not approved. */
export function tookEffectOn(
  v: Pick<PolicyVersion, 'status' | 'approvedAt' | 'effectiveFrom'>,
): string | null {
  if (v.status !== 'APPROVED' || v.approvedAt === null) return null;
  const approvedOn = AMSTERDAM_DAY.format(new Date(v.approvedAt));
  return approvedOn > v.effectiveFrom ? approvedOn : v.effectiveFrom;
}
