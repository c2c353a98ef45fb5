import {
  CATEGORIES,
  type DisclosureRequest,
  type ErrorIssue,
  RECIPIENT_KINDS,
  REPORT_KINDS,
  type Result,
  fail,
  ok,
} from '#domain';
import { POLICY_ERRORS } from './policy-error-codes.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks an untrusted value (a JSON file, an HTTP body) is a disclosure request of contracts §6. */
export function parseDisclosureRequest(value: unknown): Result<DisclosureRequest> {
  const issues: ErrorIssue[] = [];
  const issue = (field: string, code: string, message: string): void => {
    issues.push({ field, code, message });
  };
  if (!isObject(value))
    return fail([{ field: '', code: POLICY_ERRORS.NOT_AN_OBJECT, message: 'a request is a JSON object' }]);
  const recipient = value['recipient'];
  if (!isObject(recipient) || !(RECIPIENT_KINDS as readonly unknown[]).includes(recipient['kind']))
    issue(
      'recipient.kind',
      POLICY_ERRORS.INVALID_RECIPIENT,
      `recipient.kind must be one of ${RECIPIENT_KINDS.join(', ')}`,
    );
  else if (recipient['id'] !== undefined && typeof recipient['id'] !== 'string')
    issue('recipient.id', POLICY_ERRORS.INVALID_TYPE, 'recipient.id must be a string');
  if (typeof value['purpose'] !== 'string' || value['purpose'] === '')
    issue('purpose', POLICY_ERRORS.INVALID_PURPOSE, 'purpose must be a non-empty string');
  if (
    value['reportKind'] !== undefined &&
    !(REPORT_KINDS as readonly unknown[]).includes(value['reportKind'])
  )
    issue(
      'reportKind',
      POLICY_ERRORS.INVALID_REPORT_KIND,
      `reportKind must be one of ${REPORT_KINDS.join(', ')}`,
    );
  const pupil = value['pupil'];
  if (
    !isObject(pupil) ||
    typeof pupil['ageAtDate'] !== 'number' ||
    !Number.isFinite(pupil['ageAtDate']) ||
    pupil['ageAtDate'] < 0
  )
    issue('pupil.ageAtDate', POLICY_ERRORS.INVALID_AGE, 'pupil.ageAtDate must be a number of years');
  else if (pupil['consent'] !== undefined) {
    const consent = pupil['consent'];
    if (!isObject(consent) || (consent['jgz'] !== undefined && typeof consent['jgz'] !== 'boolean'))
      issue(
        'pupil.consent.jgz',
        POLICY_ERRORS.INVALID_CONSENT,
        'pupil.consent.jgz must be true or false when present',
      );
  }
  const categories = value['categories'];
  if (
    categories !== undefined &&
    (!Array.isArray(categories) || categories.some((c) => !(CATEGORIES as readonly unknown[]).includes(c)))
  )
    issue('categories', POLICY_ERRORS.INVALID_CATEGORY, 'categories must be canonical category codes');
  if (!isObject(value['payload']))
    issue('payload', POLICY_ERRORS.INVALID_PAYLOAD, 'payload must be an object of field paths');
  return issues.length > 0 ? fail(issues) : ok(value as unknown as DisclosureRequest);
}
