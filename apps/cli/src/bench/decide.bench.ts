import { readFile } from 'node:fs/promises';
import type { DisclosureRequest } from '#domain';
import { type Policy, decide, parsePolicy, release } from '#privacy';

/** The default policy, read from the project's own config (dist/apps/cli/src/bench → repository root). */
const DEFAULT_POLICY = new URL('../../../../../config/privacy/default.policy.yaml', import.meta.url);

/** A full contracts §7 payload: every field path of the vocabulary, with report-like values. */
function fullPayload(seed: number): Record<string, unknown> {
  return {
    'pupil.bsn': `99999${String(1000 + (seed % 9000))}`,
    'pupil.onderwijsnummer': `10${String(1000000 + seed)}`,
    'pupil.name': `Leerling ${seed}`,
    'pupil.birthDate': '2010-05-17',
    'pupil.address': 'Schoolstraat 1, 1234 AB Ergens',
    'pupil.phone': '0612345678',
    'parent.name': `Ouder ${seed}`,
    'parent.phone': '0687654321',
    'school.brin': '99XX',
    'school.vestiging': '00',
    'school.locationName': 'Hoofdlocatie',
    'absence.kind': '16U_MINDERJARIG',
    'absence.beginDate': '2026-01-05',
    'absence.endDate': '2026-01-28',
    'absence.hours': 17,
    'absence.days': 4,
    'absence.perDay': [{ date: '2026-01-05', lessonHours: [1, 2, 3, 4] }],
    'absence.allLessonsMissed': false,
    'absence.authorisedSummary': { SICK: 2 },
    'report.suspectedReason': 'Spijbelen',
    'report.actionTaken': 'Gesprek met leerling en ouders',
    'report.municipalActionWanted': true,
    'reporter.name': 'Verzuimcoördinator',
    'reporter.role': 'verzuimcoördinator',
    'reporter.phone': '0101234567',
    'reporter.email': 'verzuim@school.example',
    'registration.remarks': 'vrije tekst',
    'health.detail': 'n.v.t.',
  };
}

/** A mix of report-sized requests over every recipient, both sides of 18, with and without consent. */
function requests(): DisclosureRequest[] {
  const base = (i: number) => ({ payload: fullPayload(i) });
  return [
    {
      ...base(1),
      recipient: { kind: 'DUO' },
      purpose: 'STATUTORY_REPORT',
      reportKind: '16U_MINDERJARIG',
      pupil: { ageAtDate: 14 },
    },
    {
      ...base(2),
      recipient: { kind: 'LEERPLICHT' },
      purpose: 'LEERPLICHT_ENFORCEMENT',
      reportKind: '16U_MINDERJARIG',
      pupil: { ageAtDate: 15 },
    },
    {
      ...base(3),
      recipient: { kind: 'LEERPLICHT' },
      purpose: 'STATUTORY_REPORT',
      reportKind: '16U_MEERDERJARIG',
      pupil: { ageAtDate: 18 },
    },
    {
      ...base(4),
      recipient: { kind: 'DOORSTROOMPUNT' },
      purpose: 'DOORSTROOMPUNT',
      reportKind: 'DOORSTROOMPUNT',
      pupil: { ageAtDate: 20 },
    },
    {
      ...base(5),
      recipient: { kind: 'JGZ' },
      purpose: 'MAZL_CONSULTATION',
      pupil: { ageAtDate: 13, consent: { jgz: true } },
      categories: ['SICK'],
    },
    {
      ...base(6),
      recipient: { kind: 'INSPECTIE' },
      purpose: 'INSPECTIE_NOTICE',
      pupil: { ageAtDate: 16 },
      categories: ['SCHOOL_SUSPENSION'],
    },
    {
      ...base(7),
      recipient: { kind: 'LEERPLICHT' },
      purpose: 'LEERPLICHT_ENFORCEMENT',
      reportKind: 'OVERIG',
      pupil: { ageAtDate: 12 },
      categories: ['SICK', 'UNAUTHORISED'],
    },
    {
      ...base(8),
      recipient: { kind: 'DUO' },
      purpose: 'STATUTORY_REPORT',
      reportKind: 'LRV',
      pupil: { ageAtDate: 17 },
    },
  ];
}

export interface DecideBenchResult {
  readonly scenario: 'decide';
  readonly records: number;
  readonly seconds: number;
  readonly recordsPerSecond: number;
  readonly engineLimitRecordsPerSecond: number;
  readonly ratio: number;
  readonly peakRssMb: number;
  readonly mode: string;
  readonly [extra: string]: unknown;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
const AT = '2026-02-02T10:00:00+01:00';

/**
 * Decisions per second on one core with the default policy, for requests carrying the full report payload.
 * The engine limit is the least work any disclosure needs: building the projected payload by copying the
 * already known permitted field list out of the request, with no policy at all, measured in this run.
 */
export async function benchDecide(records: number): Promise<DecideBenchResult> {
  const parsed = parsePolicy(await readFile(DEFAULT_POLICY, 'utf8'), 'default.policy.yaml');
  if (!parsed.ok) throw new Error(`the default policy is invalid: ${parsed.issues[0]?.message}`);
  const policy: Policy = parsed.value;
  const batch = requests();
  const permitted = batch.map((r) => decide(policy, r, { at: AT }).released);
  const fieldsPerRequest = Object.keys(batch[0].payload).length;

  // Warm both loops so the JIT has compiled them before the clock runs.
  let sink = 0;
  for (let i = 0; i < 20_000; i++) {
    sink += decide(policy, batch[i % batch.length], { at: AT }).released.length;
    sink += Object.keys(project(batch[i % batch.length], permitted[i % batch.length])).length;
  }

  const limitStarted = process.hrtime.bigint();
  for (let i = 0; i < records; i++)
    sink += Object.keys(project(batch[i % batch.length], permitted[i % batch.length])).length;
  const limitSeconds = Number(process.hrtime.bigint() - limitStarted) / 1e9;

  let permits = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < records; i++) {
    const decision = decide(policy, batch[i % batch.length], { at: AT });
    if (decision.effect === 'permit') permits++;
    sink += decision.released.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const releases = Math.max(1, Math.floor(records / 4));
  const releaseStarted = process.hrtime.bigint();
  for (let i = 0; i < releases; i++)
    sink += release(policy, batch[i % batch.length], { at: AT }).released?.paths.length ?? 0;
  const releaseSeconds = Number(process.hrtime.bigint() - releaseStarted) / 1e9;

  const recordsPerSecond = Math.round(records / seconds);
  const engineLimitRecordsPerSecond = Math.round(records / limitSeconds);
  return {
    scenario: 'decide',
    records,
    seconds: round(seconds),
    recordsPerSecond,
    engineLimitRecordsPerSecond,
    ratio: round(recordsPerSecond / engineLimitRecordsPerSecond),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    mode: 'one core, in-process',
    engineLimit: 'copying the permitted fields of each request into a new object, without any policy',
    policy: { id: policy.id, version: policy.version },
    fieldsPerRequest,
    permits,
    releasePerSecond: Math.round(releases / releaseSeconds),
    checksum: sink % 1_000_003,
  };
}

function project(request: DisclosureRequest, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field] = request.payload[field];
  return out;
}
