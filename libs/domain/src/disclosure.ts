/**
 * The shapes at the privacy engine's edge (contracts §6 and §7). The engine itself lives in `#privacy`;
 * stores, connectors and the CLI speak these types.
 */

/**
 * Who may receive a disclosure (contracts §6). SCHOOL: the school itself, receiving the municipality's feedback
 * on its report (absence-law.md §2.2, ADR 0026).
 */
export const RECIPIENT_KINDS = ['DUO', 'LEERPLICHT', 'DOORSTROOMPUNT', 'JGZ', 'INSPECTIE', 'SCHOOL'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

/** Why data is disclosed. A policy may declare more; these are the ones the product relies on. */
export const PURPOSES = [
  'STATUTORY_REPORT',
  'LEERPLICHT_ENFORCEMENT',
  'DOORSTROOMPUNT',
  'MAZL_CONSULTATION',
  'INSPECTIE_NOTICE',
  'STATUS_FEEDBACK',
] as const;
export type Purpose = (typeof PURPOSES)[number];

/** Report kinds of contracts §4 and §7. */
export const REPORT_KINDS = [
  '16U_MINDERJARIG',
  '16U_MEERDERJARIG',
  'LRV',
  'LUXE',
  'DOORSTROOMPUNT',
  'OVERIG',
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The field paths of the report vocabulary (contracts §7); the privacy engine decides on these paths. */
export const REPORT_FIELD_PATHS = [
  'pupil.bsn',
  'pupil.onderwijsnummer',
  'pupil.name',
  'pupil.birthDate',
  'pupil.address',
  'pupil.phone',
  /** CBS code of the pupil's woongemeente (the registry's, from the school system). */
  'pupil.woongemeente',
  'parent.name',
  'parent.phone',
  'school.brin',
  'school.vestiging',
  'school.locationName',
  /** The pupil's education (DUO's onderwijsdeelname): programme name, year, level, learning path, kind, form. */
  'education.name',
  'education.leerjaar',
  'education.niveau',
  'education.leerweg',
  'education.soort',
  'education.vorm',
  'absence.kind',
  'absence.beginDate',
  'absence.endDate',
  'absence.hours',
  /** The unauthorised absence in clock minutes (klokuren), whole minutes; beside `absence.hours` (lesuren). */
  'absence.clockMinutes',
  'absence.days',
  'absence.perDay',
  'absence.allLessonsMissed',
  'absence.authorisedSummary',
  'report.suspectedReason',
  'report.actionTaken',
  'report.municipalActionWanted',
  /** The school's explanation (toelichting) for this report. */
  'report.explanation',
  /** Who at school gets a copy of DUO's mail about the report: CONTACTPERSOON, BEHANDELAAR or BEIDE. */
  'report.copyRecipient',
  'reporter.name',
  'reporter.role',
  'reporter.phone',
  'reporter.email',
  'registration.remarks',
  'health.detail',
] as const;
export type ReportFieldPath = (typeof REPORT_FIELD_PATHS)[number];

/**
 * What flows back from the municipality to the school about a report (absence-law.md §2.2: status, closing
 * reason, closing explanation, contact person), and what never may (the officer's decision and notes:
 * criminal-law data, ADR 0026). Not part of a report: the privacy engine decides on them for STATUS_FEEDBACK.
 */
export const FEEDBACK_FIELD_PATHS = [
  'feedback.status',
  'feedback.closingReason',
  'feedback.closingExplanation',
  'feedback.contact',
  /** The officer's decision (vrijstelling, HALT, proces-verbaal, OM referral): never to the school (floor). */
  'officer.decision',
  /** The officer's case notes: never to the school (floor). */
  'officer.notes',
] as const;
export type FeedbackFieldPath = (typeof FEEDBACK_FIELD_PATHS)[number];

/** Every field path the privacy engine decides on: the report vocabulary, then the feedback vocabulary. */
export const DISCLOSURE_FIELD_PATHS = [...REPORT_FIELD_PATHS, ...FEEDBACK_FIELD_PATHS] as const;

/** A request to disclose (contracts §6). `payload` keys are field paths; unknown paths are withheld. */
export interface DisclosureRequest {
  readonly recipient: { readonly kind: RecipientKind; readonly id?: string };
  readonly purpose: string;
  readonly reportKind?: ReportKind;
  readonly pupil: {
    readonly ageAtDate: number;
    readonly consent?: { readonly jgz?: boolean };
  };
  /** Canonical record categories the payload speaks about (e.g. in absence.authorisedSummary); optional. */
  readonly categories?: readonly string[];
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface WithheldField {
  readonly field: string;
  /** The rule that withheld it, or "default-deny". */
  readonly rule: string;
  readonly reason: string;
}

/** An obligation a permit carries (XACML style): the gateway must fulfil it. */
export interface Obligation {
  readonly kind: string;
  readonly [detail: string]: unknown;
}

/** The engine's answer (contracts §6). */
export interface Decision {
  readonly effect: 'permit' | 'deny';
  readonly released: readonly string[];
  readonly withheld: readonly WithheldField[];
  readonly obligations: readonly Obligation[];
  readonly determinedBy: readonly string[];
  /** Plain Dutch, readable by a privacy officer or a parent. */
  readonly explanation: string;
  readonly policy: { readonly id: string; readonly version: string };
}
