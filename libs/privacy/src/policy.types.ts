import type { DisclosureRequest, RecipientKind } from '#domain';

/** The legal ground a purpose rests on (AVG art. 6). */
export const LEGAL_GROUNDS = [
  'legal_obligation',
  'public_task',
  'consent',
  'vital_interest',
  'contract',
  'legitimate_interest',
] as const;
export type LegalGround = (typeof LEGAL_GROUNDS)[number];

/** Consent states a rule can ask for: given (true), not given (absent or withdrawn), or one of those two. */
export const CONSENT_CONDITIONS = ['given', 'not_given', 'absent', 'withdrawn'] as const;
export type ConsentCondition = (typeof CONSENT_CONDITIONS)[number];

/** A `reportKinds` entry that matches a request without a report kind. */
export const NO_REPORT_KIND = 'none';

/** Pseudo rule ids the engine uses; a policy may not use them. */
export const DEFAULT_DENY = 'default-deny';
export const POLICY_NOT_EFFECTIVE = 'policy-not-effective';
export const UNKNOWN_FIELD = 'unknown-field';
export const RESERVED_RULE_IDS: readonly string[] = [DEFAULT_DENY, POLICY_NOT_EFFECTIVE, UNKNOWN_FIELD];

export interface RecipientDefinition {
  /** Dutch display name used in explanations, e.g. "DUO (Register Onderwijsdeelnemers)". */
  readonly name: string;
}

export interface PurposeDefinition {
  /** Dutch, used in explanations after "voor", e.g. "een wettelijke verzuimmelding". */
  readonly description: string;
  readonly basis: LegalGround;
  /** Where the law says so, e.g. "Leerplichtwet 1969 art. 21a". */
  readonly legalBasis: string;
}

export interface RuleConditions {
  readonly recipients?: readonly RecipientKind[];
  readonly purposes?: readonly string[];
  /** Report kinds, or `none` for a request without one. */
  readonly reportKinds?: readonly string[];
  /** Age at the date of the data, in years: applies when age >= ageAtLeast. */
  readonly ageAtLeast?: number;
  /** Applies when age < ageBelow. */
  readonly ageBelow?: number;
  readonly consent?: { readonly jgz: ConsentCondition };
  /** Applies when the request speaks about at least one of these canonical categories. */
  readonly categoriesAny?: readonly string[];
  /** First moment the rule applies (inclusive): a date (Europe/Amsterdam midnight) or an ISO instant. */
  readonly validFrom?: string;
  /** First moment the rule no longer applies (exclusive). */
  readonly validUntil?: string;
}

export interface RuleObligations {
  /** ISO 8601 duration the recipient's copy / the disclosure record is kept, e.g. P5Y. */
  readonly retention?: string;
  readonly notifyParentWithinDays?: number;
  readonly notifyPupilWithinDays?: number;
  readonly log?: boolean;
}

export interface PolicyRule {
  readonly id: string;
  readonly effect: 'permit' | 'forbid';
  /** Dutch, readable by a privacy officer or a parent. */
  readonly reason: string;
  readonly enabled: boolean;
  readonly when: RuleConditions;
  /**
   * Data categories or field paths; `*` is every field of the vocabulary. A forbid without `fields` forbids
   * the whole request.
   */
  readonly fields?: readonly string[];
  readonly obligations?: RuleObligations;
}

export interface InvariantNever {
  readonly recipients?: readonly RecipientKind[];
  readonly recipientsExcept?: readonly RecipientKind[];
  readonly purposes?: readonly string[];
  /** The invariant concerns requests that speak about one of these categories. */
  readonly categories?: readonly string[];
  /** Data categories or field paths; absent: every field. */
  readonly fields?: readonly string[];
  /** The invariant does not apply when this consent is recorded (given). */
  readonly unlessConsent?: 'jgz';
}

export interface PolicyInvariant {
  readonly id: string;
  /** Dutch. */
  readonly description: string;
  readonly never: InvariantNever;
}

export interface RetentionSection {
  /** Fallback when neither the category nor its `default` context names a period. */
  readonly default: string;
  /** dataCategory → context → ISO 8601 duration; the context `default` covers the rest. */
  readonly categories: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A validated privacy policy (see libs/privacy/README.md for the language). */
export interface Policy {
  readonly id: string;
  readonly version: string;
  readonly effectiveFrom: string;
  readonly effectiveUntil?: string;
  readonly title?: string;
  readonly recipients: Readonly<Partial<Record<RecipientKind, RecipientDefinition>>>;
  readonly purposes: Readonly<Record<string, PurposeDefinition>>;
  readonly dataCategories: Readonly<Record<string, readonly string[]>>;
  readonly rules: readonly PolicyRule[];
  readonly retention: RetentionSection;
  readonly invariants: readonly PolicyInvariant[];
}

/** One problem found while loading a policy; line and column are 1-based positions in the YAML source. */
export interface PolicyProblem {
  readonly line: number;
  readonly column: number;
  /** Where in the document, e.g. `rules[2].when.ageAtLeast` (empty for the root). */
  readonly path: string;
  /** Stable code, e.g. `SCHEMA_TYPE`, `UNKNOWN_FIELD`, `DUPLICATE_RULE_ID`, `YAML_SYNTAX`. */
  readonly code: string;
  readonly message: string;
  /** ErrorIssue compatibility: the same as `path`. */
  readonly field: string;
  /** The file name given to parsePolicy, when any. */
  readonly source?: string;
}

export interface InvariantCounterexample {
  /** A concrete request that breaks the invariant (payload holds only the offending field). */
  readonly request: DisclosureRequest;
  /** The moment the request was decided at. */
  readonly at: string;
  readonly field: string;
  /** The rule that released the field. */
  readonly releasedBy: string;
}

export interface InvariantResult {
  readonly id: string;
  readonly description: string;
  readonly holds: boolean;
  /** Every (recipient, purpose, report kind, categories, age band, consent, time, field) combination checked. */
  readonly combinationsChecked: number;
  /** How many of those broke the invariant. */
  readonly violations: number;
  readonly counterexample?: InvariantCounterexample;
}
