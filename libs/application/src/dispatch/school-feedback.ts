import {
  type Clock,
  type Decision,
  type DisclosureRequest,
  type PolicyEngine,
  type PupilRegistry,
  NO_SCHOOL_FEEDBACK,
  type Report,
  type SchoolFeedback,
  type StatusChange,
  isDomainError,
} from '#domain';
import { ageInYearsOn } from '../leerplicht-routing/index.js';
import type { PolicyResolver } from '../privacy-engine/index.js';
import type { RecordDisclosureUseCase } from '../record-disclosure/index.js';
import { schoolToday } from '../shared/school-day.js';
import { PRIVACY_ENGINE_ERRORS } from '../privacy-engine/privacy-engine-error-codes.js';
import { DISPATCH_ERRORS } from './dispatch-error-codes.js';

/** The purpose of the municipality's feedback to the school (the privacy policy's purposes, ADR 0026). */
export const STATUS_FEEDBACK_PURPOSE = 'STATUS_FEEDBACK';

/** The school's BRIN from its id (BRIN with an optional vestiging number). */
export function brinOf(school: string): string {
  return /^[0-9]{2}[A-Z0-9]{2}/.exec(school)?.[0] ?? school;
}

/**
 * The disclosure request for one status change to the school that made the report: the feedback of
 * absence-law.md §2.2 (status, closing reason, closing explanation, contact person), nothing else. The officer's
 * decision and notes are never part of it: ketenpoort holds them only as ciphertext, and the floor forbids them
 * to the school whatever a policy says.
 */
export function feedbackRequestFor(
  report: Pick<Report, 'kind' | 'school'>,
  change: Pick<StatusChange, 'status' | 'closingReason' | 'closingExplanation' | 'contact'>,
  ageAtDate: number,
): DisclosureRequest {
  const payload: Record<string, unknown> = { 'feedback.status': change.status };
  if (change.closingReason !== undefined) payload['feedback.closingReason'] = change.closingReason;
  if (change.closingExplanation !== undefined)
    payload['feedback.closingExplanation'] = change.closingExplanation;
  if (change.contact !== undefined) payload['feedback.contact'] = change.contact;
  return {
    recipient: { kind: 'SCHOOL', id: brinOf(report.school) },
    purpose: STATUS_FEEDBACK_PURPOSE,
    reportKind: report.kind,
    pupil: { ageAtDate },
    payload,
  };
}

/** What the school may see of the change under `decision`: released values, null for the withheld ones. */
export function schoolFeedbackOf(
  change: Pick<StatusChange, 'closingReason' | 'closingExplanation' | 'contact'>,
  decision: Pick<Decision, 'released'>,
): SchoolFeedback {
  const released = decision.released.filter((f) => f.startsWith('feedback.')).sort();
  const has = (path: string): boolean => released.includes(path);
  return {
    released,
    closingReason: has('feedback.closingReason') ? (change.closingReason ?? null) : null,
    closingExplanation: has('feedback.closingExplanation') ? (change.closingExplanation ?? null) : null,
    contact: has('feedback.contact') ? (change.contact ?? null) : null,
  };
}

/** The outcome of the gate: what the school may see, and how to log it once the change was applied. */
export interface SchoolFeedbackDecision {
  readonly feedback: SchoolFeedback;
  /** Logs the decision and the disclosure (DECISION / DISCLOSURE in the audit chain); null when none was made. */
  readonly record: ((reference: string) => Promise<unknown>) | null;
  /** Why nothing was decided (POLICY_IN_FORCE_FAILS_PROOF, PUPIL_UNKNOWN); null when the engine decided. */
  readonly undecided: string | null;
}

/**
 * The privacy engine between a municipality's status and the school (ADR 0026): the same resolver, engine and
 * disclosure log the dispatcher uses. Both channels that bring a status back — the officer's and the status
 * feeds — ask it before they write what the school sees.
 */
export class SchoolFeedbackGate {
  constructor(
    private readonly resolver: PolicyResolver,
    private readonly engine: Pick<PolicyEngine, 'decide'>,
    private readonly disclosures: Pick<RecordDisclosureUseCase, 'execute'>,
    private readonly pupils: Pick<PupilRegistry, 'find'>,
    private readonly clock: Clock,
  ) {}

  async decide(
    report: Pick<Report, 'board' | 'kind' | 'school' | 'pupil' | 'fields'>,
    change: Pick<StatusChange, 'status' | 'closingReason' | 'closingExplanation' | 'contact'>,
  ): Promise<SchoolFeedbackDecision> {
    const now = this.clock.now();
    let policy;
    try {
      policy = await this.resolver.inForce(report.board, now);
    } catch (error) {
      // A version in force that fails the proof decides nothing (ADR 0012): the school sees nothing of it.
      if (!isDomainError(error) || error.code !== PRIVACY_ENGINE_ERRORS.POLICY_IN_FORCE_FAILS_PROOF)
        throw error;
      return { feedback: NO_SCHOOL_FEEDBACK, record: null, undecided: error.code };
    }
    const pupil = await this.pupils.find(
      { board: report.board, schools: null },
      report.pupil.localId,
      report.school,
    );
    const begin = report.fields['absence.beginDate'];
    const age =
      pupil === null
        ? null
        : ageInYearsOn(pupil.birthDate, typeof begin === 'string' ? begin : schoolToday(now));
    if (age === null || age < 0) {
      return { feedback: NO_SCHOOL_FEEDBACK, record: null, undecided: DISPATCH_ERRORS.PUPIL_UNKNOWN };
    }
    const request = feedbackRequestFor(report, change, age);
    const decision = this.engine.decide(policy.text, request, now);
    const feedback = schoolFeedbackOf(change, decision);
    const record = (reference: string): Promise<unknown> =>
      this.disclosures.execute({
        board: report.board,
        pupilLocalId: report.pupil.localId,
        pupilSchool: report.school,
        request,
        decision,
        sent: feedback.released.length > 0,
        reference,
      });
    return { feedback, record, undecided: null };
  }
}
