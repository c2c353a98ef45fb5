import { type OutboundContext, REPORT_FIELD_PATHS } from '#domain';
import { type ReleasedPayload, parsePolicy, release } from '#privacy';

/** DUO's OIN as the connectors and the chain simulator use it by default, and a school's (tests only). */
export const TEST_DUO_OIN = '00000001800866472000';
export const TEST_SCHOOL_OIN = '00000001999999990000';

/** A test policy that releases every report field to every chain recipient: for connector specs. */
const RELEASE_ALL = `
id: release-all-test
version: '1'
effectiveFrom: '2020-01-01'
recipients:
  DUO: { name: DUO }
  LEERPLICHT: { name: leerplicht }
  DOORSTROOMPUNT: { name: doorstroompunt }
purposes:
  STATUTORY_REPORT: { description: een verzuimmelding, basis: legal_obligation, legalBasis: LPW art. 21a }
dataCategories:
  everything: [${REPORT_FIELD_PATHS.join(', ')}]
rules:
  - id: everything
    effect: permit
    reason: Alles, voor tests van de verbindingen.
    when: { recipients: [DUO, LEERPLICHT, DOORSTROOMPUNT], purposes: [STATUTORY_REPORT] }
    fields: [everything]
retention:
  default: P1Y
`;

const parsed = parsePolicy(RELEASE_ALL);
if (!parsed.ok) throw new Error(`release-all test policy invalid: ${JSON.stringify(parsed.issues)}`);
const policy = parsed.value;

/** A genuine ReleasedPayload (made by the privacy engine) carrying exactly these fields. */
export function releasedFor(
  fields: Readonly<Record<string, unknown>>,
  recipient: 'DUO' | 'LEERPLICHT' | 'DOORSTROOMPUNT' = 'DUO',
): ReleasedPayload {
  const { released } = release(
    policy,
    {
      recipient: { kind: recipient },
      purpose: 'STATUTORY_REPORT',
      pupil: { ageAtDate: 15 },
      payload: fields,
    },
    { at: '2026-01-01' },
  );
  if (released === null) throw new Error('the release-all test policy did not permit');
  return released;
}

/** An OutboundContext for a first report to DUO, with overrides. */
export function outboundContextOf(overrides: Partial<OutboundContext> = {}): OutboundContext {
  return {
    idempotencyKey: 'report-1:DUO:REGISTER',
    operation: 'REGISTER',
    reportId: 'report-1',
    reportKind: '16U_MINDERJARIG',
    board: 'board-1',
    school: '99XX',
    externalRef: null,
    recipient: { kind: 'DUO', id: TEST_DUO_OIN },
    attempt: 1,
    sentAt: new Date('2026-02-02T09:00:00Z'),
    ...overrides,
  };
}
