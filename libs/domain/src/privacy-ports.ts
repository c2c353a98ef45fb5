import type { Decision, DisclosureRequest, RecipientKind } from './disclosure.js';
import type { Result } from './result.js';
import type { CanonicalRecord } from './canonical-record.js';
import type { Pupil, PupilFacts } from './pupil.js';
import type { QuarantineEntry } from './record-batch.js';
import type { BoardScope } from './tenancy.js';
import type { PupilAt } from './signal-ports.js';
import type { ReleasedFields } from './delivery.js';
import type { DOMAIN_ERRORS } from './domain-error-codes.js';

/**
 * The privacy engine as the stateful side needs it. `#privacy` implements it (pure); the store keeps policy
 * texts and hands them in, so the engine never reaches a database.
 */
export const POLICY_ENGINE = Symbol('PolicyEngine');

/** What a valid policy text says about itself. Dates are school-local `YYYY-MM-DD`. */
export interface PolicyMeta {
  readonly id: string;
  readonly version: string;
  readonly effectiveFrom: string;
  readonly effectiveUntil?: string;
}

/**
 * Turns a board's pupil local id (at a school, when known) into its pseudonym: the one stored with a registered
 * pupil (kept across ADR 0017's change of identity), else HMAC with a secret key (`pupilPseudonym` for a shared
 * administration or an unknown school, `schoolPupilPseudonym` for per-school identity).
 */
export type Pseudonymise = (
  board: string,
  localId: string,
  school?: string | null,
) => string | Promise<string>;

/** Data categories the retention job asks the policy about (the policy may know more). */
export const RETENTION_CATEGORIES = [
  /** canonical records (absence) of a pupil, counted from the day the pupil left */
  'absence',
  /** the pupil registry entry (enrolment facts, encrypted BSN), counted from the day the pupil left */
  'enrolment',
  /** quarantined inputs: of a known pupil from the day the pupil left, else from receipt */
  'quarantine',
  /** pseudonymised disclosure requests kept for policy simulation, from the day they were recorded */
  'disclosure_request',
] as const;
export type RetentionCategory = (typeof RETENTION_CATEGORIES)[number];

export interface RetentionContext {
  readonly recipient?: RecipientKind;
  readonly sector?: string;
}

/** One invariant as the exhaustive proof found it (ADR 0012). */
export interface ProvenInvariantResult {
  readonly id: string;
  /** `floor`: statutory, lives with the engine; `policy`: added by the policy itself. */
  readonly source: 'floor' | 'policy';
  /** Dutch. */
  readonly description: string;
  readonly holds: boolean;
  readonly violations: number;
  /** Floor only: the ground (Dutch) and whether it is confirmed; an unconfirmed ground still holds. */
  readonly ground?: string;
  readonly groundConfirmed?: boolean;
}

/** An invariant that fails, with one request that breaks it. */
export interface ProofFailureResult {
  readonly code: typeof DOMAIN_ERRORS.INVARIANT_VIOLATED;
  readonly invariant: string;
  readonly source: 'floor' | 'policy';
  /** Dutch, for the privacy officer. */
  readonly message: string;
  readonly violations: number;
  readonly counterexample: {
    readonly request: DisclosureRequest;
    readonly at: string;
    readonly field: string;
    readonly releasedBy: string;
  };
}

/** The outcome of the exhaustive proof of a policy text against the statutory floor and its own invariants. */
export interface PolicyProofResult {
  readonly holds: boolean;
  readonly combinationsChecked: number;
  readonly invariants: readonly ProvenInvariantResult[];
  readonly failing: readonly ProofFailureResult[];
  /** Ids of the invariants the policy adds to the floor (a later version that drops one shows it). */
  readonly ownInvariants: readonly string[];
}

/** One combination of the whole domain where two policies release different fields. */
export interface DomainChangeResult {
  readonly recipient: string;
  readonly purpose: string;
  readonly reportKind: string | null;
  readonly ageBand: string;
  readonly consent: 'given' | 'withdrawn' | 'absent';
  readonly categories: readonly string[];
  readonly at: string;
  readonly newlyReleased: readonly string[];
  readonly newlyWithheld: readonly string[];
}

/** What a draft decides differently from a baseline over the proof's whole domain. */
export interface DomainDiffResult {
  readonly combinationsChecked: number;
  readonly combinationsChanged: number;
  readonly newlyReleased: Record<string, Record<string, number>>;
  readonly newlyWithheld: Record<string, Record<string, number>>;
  readonly examples: readonly DomainChangeResult[];
  readonly truncated: boolean;
}

/** A decision and, on permit, the payload of exactly the released fields (null otherwise). */
export interface PolicyRelease<P extends ReleasedFields = ReleasedFields> {
  readonly decision: Decision;
  readonly released: P | null;
}

/**
 * `P` is the payload `release` makes: `ReleasedPayload` of `#privacy` in production (the only thing a
 * connector may send, ADR 0008), named here by its shape since the domain imports no other lib.
 */
export interface PolicyEngine<P extends ReleasedFields = ReleasedFields> {
  /** Parses and validates a policy text; issues name the problems (never throws for bad text). */
  validate(text: string): Result<PolicyMeta>;
  /**
   * The exhaustive proof of a (valid) policy text against the statutory floor and its own invariants.
   * Pure; implementations may cache by text.
   */
  prove(text: string): PolicyProofResult;
  /** The whole-domain difference between two (valid) policy texts, from `from` on. */
  diff(baselineText: string, draftText: string, from: Date): DomainDiffResult;
  /** Decides one request under the given (already validated) policy text. */
  decide(policyText: string, request: DisclosureRequest, at: Date): Decision;
  /** Decides and, on permit, makes the payload a connector may send (only the engine can make one). */
  release(policyText: string, request: DisclosureRequest, at: Date): PolicyRelease<P>;
  /** How long a data category is kept under the policy, as an ISO 8601 duration (e.g. `P5Y`). */
  retentionPeriod(policyText: string, category: string, context: RetentionContext): string;
  /** The legal basis the policy names for a purpose (e.g. "Leerplichtwet 1969 art. 21a"); null when unknown. */
  legalBasis(policyText: string, purpose: string): string | null;
}

// ---- stores of the privacy side (implemented in #persistence) ----

export const PUPIL_REGISTRY = Symbol('PupilRegistry');
export interface PupilRegistry {
  /** Creates or replaces the pupil's facts; the BSN (if given) is encrypted before it is stored. */
  upsert(
    scope: BoardScope,
    /** A bare local id: the pupil of `facts.school`'s own administration (per-school identity). */
    identity: string | { readonly administration: string; readonly localId: string },
    facts: PupilFacts,
    pseudonym: string,
    at: Date,
  ): Promise<{ readonly created: boolean; readonly pupil: Pupil }>;
  /**
   * The pupil with this number inside the scope (at `school` when given: the pupil of that school's
   * administration); null when missing or outside the scope: both look the same. Two pupils inside the scope
   * (colliding numbers of two schools, no school given) fail with `409 PUPIL_AMBIGUOUS`.
   */
  find(scope: BoardScope, localId: string, school?: string | null): Promise<Pupil | null>;
  /**
   * `find` for many numbers in one read, in their order: each the pupil it names, or null where none is and where
   * several are (a number without a school that two schools use) — the signals' evaluation of a day's pupils.
   */
  findEach(scope: BoardScope, pupils: readonly PupilAt[]): Promise<(Pupil | null)[]>;
  /** The registered pupils of this number inside the scope, any school (ADR 0017: one per administration). */
  findAll(scope: BoardScope, localId: string): Promise<Pupil[]>;
  /** The pseudonym stored with a registered pupil; null when none is registered. */
  pseudonymOf(board: string, administration: string, localId: string): Promise<string | null>;
  /** Sets or replaces the hold and appends LEGAL_HOLD_SET in the same transaction; null when not found. */
  setLegalHold(
    board: string,
    localId: string,
    hold: { readonly reason: string; readonly setBy: string; readonly pseudonym: string },
    at: Date,
    /** The pupil's administration (ADR 0017); without it every pupil of the number. */
    administration?: string,
  ): Promise<Pupil | null>;
  /** Lifts the hold and appends LEGAL_HOLD_LIFTED in the same transaction; null when not found. */
  liftLegalHold(
    board: string,
    localId: string,
    by: { readonly liftedBy: string; readonly pseudonym: string; readonly reason?: string },
    at: Date,
    administration?: string,
  ): Promise<Pupil | null>;
  /** Everything held about the pupil besides the registry entry (access requests). */
  heldData(board: string, localId: string, administration?: string): Promise<PupilHeldData>;
}

export interface PupilHeldData {
  readonly records: readonly CanonicalRecord[];
  readonly quarantined: readonly QuarantineEntry[];
}

/** A disclosure request as kept for simulation: pupil pseudonymised, payload values dropped. */
export interface PseudonymisedRequest {
  readonly recipient: { readonly kind: RecipientKind; readonly id?: string };
  readonly purpose: string;
  readonly reportKind?: string;
  readonly pupil: { readonly ageAtDate: number; readonly consent?: { readonly jgz?: boolean } };
  readonly categories?: readonly string[];
  /** Field names only. */
  readonly fields: readonly string[];
}

export interface DecisionSummary {
  readonly effect: 'permit' | 'deny';
  readonly released: readonly string[];
  readonly withheld: readonly { readonly field: string; readonly rule: string }[];
  readonly determinedBy: readonly string[];
  readonly policy: { readonly id: string; readonly version: string };
}

export interface NewDisclosureRecord {
  readonly id: string;
  readonly board: string;
  readonly pupilPseudonym: string;
  readonly request: PseudonymisedRequest;
  readonly decision: DecisionSummary;
  /** The data was actually sent (a DISCLOSURE entry follows the DECISION entry). */
  readonly sent: boolean;
  readonly legalBasis: string | null;
  /** `YYYY-MM-DD` until which the disclosed data is kept; null when unknown. */
  readonly retainedUntil: string | null;
  /** A reference to the report or message, never its content. */
  readonly reference: string | null;
}

export interface StoredDisclosureRequest {
  readonly id: string;
  readonly board: string;
  readonly pupilPseudonym: string;
  readonly recordedAt: string;
  readonly request: PseudonymisedRequest;
  readonly decision: DecisionSummary;
  readonly sent: boolean;
}

/** A disclosure as the audit log remembers it (access requests). */
export interface DisclosureLogEntry {
  readonly seq: number;
  readonly at: string;
  readonly recipient: { readonly kind: string; readonly id: string | null };
  readonly purpose: string;
  readonly reportKind: string | null;
  readonly released: readonly string[];
  readonly withheld: readonly { readonly field: string; readonly rule: string }[];
  readonly determinedBy: readonly string[];
  readonly policy: { readonly id: string; readonly version: string };
  readonly legalBasis: string | null;
  readonly retainedUntil: string | null;
  readonly reference: string | null;
}

export const DISCLOSURE_STORE = Symbol('DisclosureStore');
export interface DisclosureStore {
  /** Stores the request and appends DECISION (and DISCLOSURE when sent) in one transaction. */
  record(entry: NewDisclosureRecord, at: Date): Promise<{ readonly auditSeqs: readonly number[] }>;
  /** Requests recorded at or after `from`, oldest first, at most `limit`. */
  since(board: string, from: Date, limit: number): Promise<StoredDisclosureRequest[]>;
  /** Every DISCLOSURE audit entry about the pupil, oldest first. */
  disclosuresOf(board: string, pupilPseudonym: string): Promise<DisclosureLogEntry[]>;
}

/** DRAFT → SUBMITTED → APPROVED | REJECTED (ADR 0022); a DRAFT may still be approved directly (ADR 0012). */
export const POLICY_STATUSES = ['DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

export interface PolicyVersion {
  readonly board: string;
  readonly policyId: string;
  readonly version: string;
  readonly text: string;
  readonly status: PolicyStatus;
  readonly effectiveFrom: string;
  readonly effectiveUntil: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  /** Who submitted the draft for approval and when (ADR 0022); null when never submitted. */
  readonly submittedBy: string | null;
  readonly submittedAt: string | null;
  /** Who rejected the draft, when and why (ADR 0022); null unless REJECTED. */
  readonly rejectedBy: string | null;
  readonly rejectedAt: string | null;
  readonly rejectionReason: string | null;
  /** The proof stored with the version when it was drafted; null for a version stored before proofs (ADR 0012). */
  readonly proof: PolicyProofResult | null;
}

/** The fields of the four-eyes review (ADR 0022) a new draft does not have yet. */
export type PolicyReviewFields =
  'submittedBy' | 'submittedAt' | 'rejectedBy' | 'rejectedAt' | 'rejectionReason';

export const POLICY_VERSION_STORE = Symbol('PolicyVersionStore');
export interface PolicyVersionStore {
  /** Stores a draft and appends POLICY_DRAFTED; an existing (policy, version) is a conflict. */
  createDraft(
    draft: Omit<
      PolicyVersion,
      'status' | 'createdAt' | 'approvedBy' | 'approvedAt' | 'proof' | PolicyReviewFields
    > & {
      readonly proof?: PolicyProofResult | null;
    },
    at: Date,
  ): Promise<PolicyVersion>;
  /**
   * DRAFT → SUBMITTED by its author, appending POLICY_SUBMITTED in the same transaction (ADR 0022). Refuses
   * (coded) a version that is not a draft (conflict POLICY_NOT_DRAFT) or someone else's (POLICY_NOT_AUTHOR).
   */
  submit(board: string, policyId: string, version: string, by: string, at: Date): Promise<PolicyVersion>;
  /**
   * DRAFT or SUBMITTED → REJECTED by someone other than the author, with a reason kept on the version;
   * appends POLICY_REJECTED (without the reason's text). Refuses like `approve`.
   */
  reject(
    board: string,
    policyId: string,
    version: string,
    by: string,
    reason: string,
    at: Date,
  ): Promise<PolicyVersion>;
  list(board: string, policyId: string): Promise<PolicyVersion[]>;
  /** Every version of every policy of the board, by policy id, oldest first. */
  listAll(board: string): Promise<PolicyVersion[]>;
  get(board: string, policyId: string, version: string): Promise<PolicyVersion | null>;
  /**
   * DRAFT or SUBMITTED → APPROVED by someone other than the author, appending POLICY_APPROVED in the same transaction.
   * Refuses (coded conflict/forbidden) a version that is not a draft or whose author is the approver.
   */
  approve(
    board: string,
    policyId: string,
    version: string,
    approvedBy: string,
    at: Date,
  ): Promise<PolicyVersion>;
  /**
   * The version in force at `at`: among versions approved by then whose effectiveFrom ≤ at (school-local
   * date) and whose effectiveUntil, if any, lies after it, the one approved last. null when none.
   */
  effectiveAt(board: string, at: Date, policyId?: string): Promise<PolicyVersion | null>;
}

/** A pupil who left, as the retention job sees it. */
export interface RetentionCandidate {
  readonly board: string;
  readonly localId: string;
  /** The pupil's administration (ADR 0017); absent: every pupil of the number. */
  readonly administration?: string;
  readonly pseudonym: string;
  readonly leftOn: string;
  readonly sector: string;
  readonly legalHold: boolean;
}

export interface ReceiptContext {
  readonly runId: string;
  readonly policy: { readonly id: string; readonly version: string } | null;
  /** The period applied per category (ISO 8601 durations). */
  readonly periods: Readonly<Record<string, string>>;
}

export type PupilPurgeCategory = 'absence' | 'quarantine' | 'enrolment';

export const RETENTION_STORE = Symbol('RetentionStore');
export interface RetentionStore {
  /** Boards with any retained data. */
  boards(): Promise<string[]>;
  /** Local ids of the board's pupils on legal hold. */
  heldPupils(board: string): Promise<string[]>;
  /**
   * Pupils of the board who left, ordered by local id and administration, after (`afterLocalId`,
   * `afterAdministration`), at most `limit`.
   */
  leftPupils(
    board: string,
    afterLocalId: string | null,
    limit: number,
    afterAdministration?: string,
  ): Promise<RetentionCandidate[]>;
  /**
   * Deletes the pupil's data of the given categories and appends one DELETION_RECEIPT per category with a
   * non-zero count, in one transaction. Does nothing when the pupil is (by now) on legal hold.
   */
  purgePupil(
    candidate: RetentionCandidate,
    categories: readonly PupilPurgeCategory[],
    receipt: ReceiptContext,
    at: Date,
  ): Promise<Partial<Record<PupilPurgeCategory, number>>>;
  /** Deletes stored disclosure requests to one recipient recorded before `before`, except held pupils'. */
  purgeDisclosureRequests(
    board: string,
    recipient: RecipientKind,
    before: Date,
    receipt: ReceiptContext,
    at: Date,
  ): Promise<number>;
  /** Deletes quarantined inputs not linked to a pupil, received before `before`. */
  purgeUnlinkedQuarantine(board: string, before: Date, receipt: ReceiptContext, at: Date): Promise<number>;
  /** Deletes processed record batches that retention left without records or quarantined inputs. */
  purgeEmptyBatches(board: string, receipt: ReceiptContext, at: Date): Promise<number>;
  /** Receipts for deletions done by hooks. */
  appendReceipts(
    board: string,
    receipts: readonly { readonly category: string; readonly pupil: string | null; readonly count: number }[],
    receipt: ReceiptContext,
    at: Date,
  ): Promise<void>;
}

/**
 * Lets later stores (signals, report drafts) take part in retention: one hook per category, asked to delete
 * what expired. Counts come back for the receipts; personal values never do.
 */
export interface RetentionHook {
  readonly category: string;
  expire(input: {
    readonly board: string;
    readonly now: Date;
    /** The period the policy sets for this category. */
    readonly period: string;
    /** Local ids of the board's pupils on legal hold: keep their data. */
    readonly heldLocalIds: readonly string[];
  }): Promise<readonly { readonly pupilPseudonym: string | null; readonly count: number }[]>;
}
