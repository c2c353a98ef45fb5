import { REPORT_FIELD_PATHS } from '#domain';

/** A small policy for engine specs: every rule shape once. */
export const SMALL_POLICY = `
id: spec-policy
version: '1'
effectiveFrom: '2025-08-01'
effectiveUntil: '2026-08-01'
recipients:
  DUO: { name: DUO }
  LEERPLICHT: { name: leerplicht }
  JGZ: { name: de jeugdarts }
purposes:
  STATUTORY_REPORT: { description: een verzuimmelding, basis: legal_obligation, legalBasis: LPW art. 21a }
  MAZL_CONSULTATION: { description: MAZL-overleg, basis: consent, legalBasis: toestemming }
dataCategories:
  identification: [pupil.name, pupil.birthDate]
  absence: [absence.beginDate, absence.hours]
  free_text: [registration.remarks]
rules:
  - id: duo
    effect: permit
    reason: Melding aan DUO
    when: { recipients: [DUO], purposes: [STATUTORY_REPORT] }
    fields: [pupil.bsn, absence, registration.remarks]
    obligations: { retention: P5Y, log: true }
  - id: leerplicht-minor
    effect: permit
    reason: Leerplicht minderjarig
    when: { recipients: [LEERPLICHT], purposes: [STATUTORY_REPORT], ageBelow: 18 }
    fields: [identification, absence]
    obligations: { retention: P2Y, notifyParentWithinDays: 5 }
  - id: leerplicht-extra
    effect: permit
    reason: Extra termijn
    when: { recipients: [LEERPLICHT], purposes: [STATUTORY_REPORT] }
    fields: [absence.hours]
    obligations: { retention: P1Y, notifyParentWithinDays: 3 }
  - id: jgz
    effect: permit
    reason: Met toestemming
    when: { recipients: [JGZ], consent: { jgz: given } }
    fields: [identification]
  - id: no-free-text
    effect: forbid
    reason: Vrije tekst blijft op school.
    fields: [free_text]
  - id: disabled-permit
    effect: permit
    enabled: false
    reason: Staat uit
    fields: ['*']
  - id: sick-stop
    effect: forbid
    reason: Niets over ziekte naar leerplicht
    when: { recipients: [LEERPLICHT], categoriesAny: [SICK] }
  - id: later
    effect: permit
    reason: Pas later
    when: { recipients: [DUO], validFrom: '2026-01-01' }
    fields: [pupil.name]
retention:
  default: P1Y
  categories:
    absence: { after_leaving: P5Y, default: P2Y }
invariants:
  - id: no-remarks
    description: Vrije tekst nooit weg
    never: { fields: [registration.remarks] }
`;

/** A payload with every vocabulary field plus one unknown path. */
export function fullPayload(): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field of REPORT_FIELD_PATHS) payload[field] = `value of ${field}`;
  payload['pupil.shoeSize'] = 42;
  return payload;
}
