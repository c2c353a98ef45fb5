import { type NewAuditEntry } from '#domain';
import type { SchoolFeedbackDecision } from './school-feedback.js';

/** The REPORT_STATUS audit entry of a status change (the pupil by pseudonym). */
export function statusAudit(
  board: string,
  pseudonym: string,
  reportId: string,
  entry: Record<string, string | null>,
): NewAuditEntry {
  return { board, kind: 'REPORT_STATUS', entry: { reportId, pupil: pseudonym, ...entry } };
}

/** What the audit entry of a status says about the school's part: the fields it may see, or why none. */
export function feedbackAudit(gate: SchoolFeedbackDecision): Record<string, string> {
  return gate.undecided === null
    ? { schoolFields: gate.feedback.released.join(',') }
    : { schoolFields: '', schoolFeedback: gate.undecided };
}
