import type { RetentionContext } from './privacy-ports.js';

/**
 * What the privacy officer's retention screen reads (issue 15 item 5): counts of stored data per expiry moment
 * for the forecast, the deletion receipts of the audit log, and the history of legal holds. Counts and
 * references only; the hold history carries the pupil's local id and the officer's reason.
 */

/** Stored rows of one category that expire together: `count` rows whose period runs from `from`. */
export interface RetentionBucket {
  readonly category: string;
  /** The context the policy's period is looked up with (sector of a pupil, recipient of a request). */
  readonly context: RetentionContext;
  /** `YYYY-MM-DD` (the day a pupil left: expiry as the retention job computes it) or an ISO 8601 instant. */
  readonly from: string;
  /**
   * Further categories whose periods must all have run too (enrolment goes only when every category of the
   * pupil expired); empty for the others.
   */
  readonly alsoAfter: readonly string[];
  readonly count: number;
}

/** One DELETION_RECEIPT of the audit log. */
export interface DeletionReceipt {
  readonly seq: number;
  readonly at: string;
  readonly run: string | null;
  readonly category: string;
  readonly count: number;
  readonly recipient: string | null;
  /** The period applied (ISO 8601 duration). */
  readonly period: string | null;
  readonly policy: { readonly id: string; readonly version: string } | null;
}

/** A legal hold placed or lifted. */
export interface LegalHoldEvent {
  readonly id: number;
  readonly at: string;
  readonly action: 'SET' | 'LIFTED';
  readonly localId: string;
  readonly school: string;
  /** null: lifted by a client that named no reason. */
  readonly reason: string | null;
  readonly by: string;
  /** Whether the pupil is on hold now (false also when the pupil's data has since been deleted). */
  readonly heldNow: boolean;
}

export interface PagedRows<T> {
  readonly items: readonly T[];
  readonly total: number;
}

export const RETENTION_RECORDS = Symbol('RetentionRecords');
export interface RetentionRecords {
  /** Everything of the board that has a computable expiry, grouped; pupils on legal hold left out. */
  forecastBuckets(board: string): Promise<RetentionBucket[]>;
  /** How many pupils of the board are on legal hold now. */
  heldPupilCount(board: string): Promise<number>;
  /** The board's deletion receipts, newest first. */
  receipts(board: string, offset: number, limit: number): Promise<PagedRows<DeletionReceipt>>;
  /** The board's hold history, newest first. */
  holdEvents(board: string, offset: number, limit: number): Promise<PagedRows<LegalHoldEvent>>;
}

/** A source system that delivered data for a board, with the schools (BRIN) it delivered for. */
export interface IngestedSystem {
  readonly system: string;
  readonly schools: readonly string[];
}

/** The controller's details the privacy officer fills in for the register (configuration cannot know them). */
export interface ControllerDetails {
  readonly name: string | null;
  readonly contact: string | null;
  readonly privacyOfficer: string | null;
  readonly updatedBy: string | null;
  readonly updatedAt: string | null;
}

/** What the verwerkingsregister reads from the store besides the policy (ADR 0025). */
export const REGISTER_FACTS = Symbol('RegisterFacts');
export interface RegisterFacts {
  /** The source systems of the board's record batches (what actually delivered data). */
  ingestedSystems(board: string): Promise<IngestedSystem[]>;
  /** Whether pupils were registered for the board through the API (the pupil registry is a source too). */
  registeredPupils(board: string): Promise<boolean>;
  /** Every board with data or register details in this installation (the host's processor register). */
  boards(): Promise<string[]>;
  /** The board's details as filled in; all null when never filled in. */
  controllerDetails(board: string): Promise<ControllerDetails>;
  saveControllerDetails(
    board: string,
    details: Pick<ControllerDetails, 'name' | 'contact' | 'privacyOfficer'>,
    by: string,
    at: Date,
  ): Promise<ControllerDetails>;
}
