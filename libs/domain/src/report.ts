import type { ReportKind } from './disclosure.js';

// Reports (meldingen) as the gateway stores them: contracts §7 `{ id, kind, status, fields }` plus bookkeeping.

/** The lifecycle of contracts §7, plus `DISMISSED`: school staff decided with a reason not to report. */
export const REPORT_STATUSES = [
  'DRAFT',
  'APPROVED',
  'QUEUED',
  'SENT',
  'REGISTERED',
  'IN_BEHANDELING',
  'AFGESLOTEN',
  'TER_KENNISGEVING_AANGENOMEN',
  'WITHDRAWN',
  'REJECTED',
  'DISMISSED',
] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Reports that have left (or are about to leave) the school: a changed or withdrawn signal needs a follow-up. */
export const REPORT_STATUSES_OUT: readonly ReportStatus[] = [
  'APPROVED',
  'QUEUED',
  'SENT',
  'REGISTERED',
  'IN_BEHANDELING',
];

/** A first report, a correction of one already out, or its withdrawal. */
export const REPORT_ACTIONS = ['REPORT', 'CORRECTION', 'WITHDRAWAL'] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];

export type ReportFieldValue = string | number | boolean | readonly unknown[] | null;

/** A report (melding) as stored: contracts §7 `{ id, kind, status, fields }` plus its bookkeeping. */
export interface Report {
  readonly id: string;
  readonly kind: ReportKind;
  readonly status: ReportStatus;
  /** Field paths of contracts §7. Never `pupil.bsn`: the BSN is read from the registry only when sending. */
  readonly fields: Readonly<Record<string, ReportFieldValue>>;
  readonly action: ReportAction;
  /** The report this one corrects or withdraws. */
  readonly supersedes: string | null;
  readonly board: string;
  readonly school: string;
  readonly pupil: { readonly localId: string };
  readonly signalId: string;
  readonly rule: string;
  readonly mandatory: boolean;
  readonly deadline: string | null;
  /** Past its deadline and still DRAFT, measured with the injected clock (school-local date). */
  readonly overdue: boolean;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly dismissReason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** What the chain answered: DUO's report number, the municipality's closing reason (absent before sending). */
  readonly chain?: ReportChainState;
}

export interface ReportChainState {
  readonly externalRef: string | null;
  readonly closingReason: string | null;
  readonly closingExplanation: string | null;
  readonly contact: string | null;
  /** When the status last changed. */
  readonly statusAt: string | null;
}

/** A draft as the evaluation writes it (status DRAFT or, auto-approved, APPROVED). */
export type NewReport = Omit<Report, 'overdue' | 'createdAt' | 'updatedAt' | 'chain'>;
