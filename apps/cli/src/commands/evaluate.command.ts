import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CATEGORIES,
  type CanonicalRecord,
  LEGAL_CLASSES,
  REGISTERED_VIA,
  SCHOOL_SECTORS,
  type SchoolCalendar,
  type SignalPupil,
} from '#domain';
import { type Rulepack, evaluateDetailed, isValidDate, loadRulepack, parseRulepack } from '#signals';
import { UsageError, readStructured, readText, writeJsonLines } from './read-input.js';

/** The national pack shipped in config/rulepacks (the default when no --rulepack is given). */
export const NATIONAL_RULEPACK = fileURLToPath(
  new URL('../../../../../config/rulepacks/national.yaml', import.meta.url),
);

const MAX_LISTED = 10;

/**
 * `evaluate --records <jsonl> --pupils <file> --calendar <file> [--rulepack <file>]… [--as-of <date>]`
 * (contracts §1, §5). `--rulepack` may be given twice: a national pack, then a regional pack on top of it; a
 * single regional pack is laid over the shipped national pack. Signals as JSON Lines on stdout.
 */
export async function runEvaluate(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      records: { type: 'string' },
      pupils: { type: 'string' },
      calendar: { type: 'string' },
      rulepack: { type: 'string', multiple: true },
      'as-of': { type: 'string' },
    },
  });
  if (!values.records || !values.pupils || !values.calendar)
    throw new UsageError('evaluate needs --records <jsonl>, --pupils <file> and --calendar <file>');
  if (values['as-of'] !== undefined && !isValidDate(values['as-of']))
    throw new UsageError('--as-of must be a date YYYY-MM-DD');
  const rulepack = await readRulepacks(values.rulepack ?? []);
  const pupils = checkPupils(await readStructured(values.pupils, 'pupils file'), values.pupils);
  const calendar = checkCalendar(await readStructured(values.calendar, 'calendar file'), values.calendar);
  const records = parseRecords(await readText(values.records, 'records file'), values.records);
  let asOf = values['as-of'];
  if (asOf === undefined) {
    asOf = records.reduce((max, r) => (r.date > max ? r.date : max), '');
    if (asOf === '') asOf = calendar.firstSchoolDay;
  }
  const outcome = evaluateDetailed({ pupils, records, calendar, rulepack, asOf });
  writeJsonLines(process.stdout, outcome.signals);
  if (outcome.unknownPupilRecords > 0)
    process.stderr.write(
      `ketenpoort evaluate: skipped ${outcome.unknownPupilRecords} records of ${outcome.unknownPupils} pupils not in ${values.pupils}\n`,
    );
  return 0;
}

async function readRulepacks(paths: readonly string[]): Promise<Rulepack> {
  if (paths.length > 2)
    throw new UsageError('--rulepack may be given at most twice (national, then regional)');
  const packs: Rulepack[] = [];
  for (const path of paths.length === 0 ? [NATIONAL_RULEPACK] : paths) {
    const result = parseRulepack(await readText(path, 'rulepack'), path);
    if (!result.ok) {
      const listed = result.issues
        .slice(0, MAX_LISTED)
        .map((i) => `  ${i.field || '(file)'}: ${i.code} ${i.message}`);
      throw new UsageError(`rulepack ${path} is invalid:\n${listed.join('\n')}`);
    }
    packs.push(result.value);
  }
  if (packs.length === 1 && packs[0].kind === 'regional') {
    const national = parseRulepack(await readText(NATIONAL_RULEPACK, 'rulepack'), NATIONAL_RULEPACK);
    if (!national.ok) throw new UsageError('the shipped national rulepack is invalid');
    packs.unshift(national.value);
  }
  if (packs[0].kind !== 'national') throw new UsageError('the first --rulepack must be a national pack');
  if (packs.length === 2 && packs[1].kind !== 'regional')
    throw new UsageError('the second --rulepack must be a regional pack');
  return loadRulepack(packs[0], packs[1]);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: string, what: string, problems: readonly string[]): never {
  const more = problems.length > MAX_LISTED ? `\n  … and ${problems.length - MAX_LISTED} more` : '';
  throw new UsageError(
    `${what} ${path} is invalid:\n${problems
      .slice(0, MAX_LISTED)
      .map((p) => `  ${p}`)
      .join('\n')}${more}`,
  );
}

function checkPupils(value: unknown, path: string): SignalPupil[] {
  if (!Array.isArray(value))
    fail(path, 'pupils file', ['must be a JSON array of { localId, birthDate, sector }']);
  const problems: string[] = [];
  value.forEach((p: unknown, i) => {
    if (!isObject(p)) return void problems.push(`[${i}]: not an object`);
    if (typeof p['localId'] !== 'string' || p['localId'] === '') problems.push(`[${i}].localId: required`);
    if (!isValidDate(p['birthDate'])) problems.push(`[${i}].birthDate: must be a date YYYY-MM-DD`);
    if (!(SCHOOL_SECTORS as readonly unknown[]).includes(p['sector']))
      problems.push(`[${i}].sector: one of ${SCHOOL_SECTORS.join(', ')}`);
    if (p['startkwalificatie'] !== undefined && typeof p['startkwalificatie'] !== 'boolean')
      problems.push(`[${i}].startkwalificatie: true or false`);
  });
  if (problems.length > 0) fail(path, 'pupils file', problems);
  return value as SignalPupil[];
}

function checkCalendar(value: unknown, path: string): SchoolCalendar {
  const problems: string[] = [];
  if (!isObject(value)) fail(path, 'calendar file', ['must be a school calendar object']);
  for (const key of ['firstSchoolDay', 'lastSchoolDay'])
    if (!isValidDate(value[key])) problems.push(`${key}: must be a date YYYY-MM-DD`);
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  if (!Array.isArray(value['schoolDays']) || value['schoolDays'].some((d) => !weekdays.includes(d as string)))
    problems.push(`schoolDays: a list of ${weekdays.join(', ')}`);
  const holidays = value['holidays'] ?? [];
  if (!Array.isArray(holidays)) problems.push('holidays: must be a list');
  else
    holidays.forEach((h: unknown, i) => {
      if (!isObject(h) || !isValidDate(h['start']) || !isValidDate(h['end']))
        problems.push(`holidays[${i}]: needs name, start and end dates`);
    });
  const closed = value['closedDays'] ?? [];
  if (!Array.isArray(closed)) problems.push('closedDays: must be a list');
  else
    closed.forEach((c: unknown, i) => {
      if (!isObject(c) || !isValidDate(c['date'])) problems.push(`closedDays[${i}]: needs a date`);
    });
  if (problems.length > 0) fail(path, 'calendar file', problems);
  return { ...value, holidays, closedDays: closed } as unknown as SchoolCalendar;
}

function parseRecords(text: string, path: string): CanonicalRecord[] {
  const out: CanonicalRecord[] = [];
  const problems: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      problems.push(`line ${i + 1}: not valid JSON`);
      continue;
    }
    const problem = recordProblem(r);
    if (problem) problems.push(`line ${i + 1}: ${problem}`);
    else out.push(r as CanonicalRecord);
  }
  if (problems.length > 0) fail(path, 'records file', problems);
  return out;
}

function recordProblem(r: unknown): string | null {
  if (!isObject(r)) return 'not a canonical record object';
  if (typeof r['recordId'] !== 'string') return 'recordId: required';
  if (!isObject(r['pupil']) || typeof r['pupil']['localId'] !== 'string') return 'pupil.localId: required';
  if (!isValidDate(r['date'])) return 'date: must be a date YYYY-MM-DD';
  if (!(CATEGORIES as readonly unknown[]).includes(r['category'])) return 'category: unknown';
  if (!(LEGAL_CLASSES as readonly unknown[]).includes(r['legalClass'])) return 'legalClass: unknown';
  if (!(REGISTERED_VIA as readonly unknown[]).includes(r['registeredVia'])) return 'registeredVia: unknown';
  for (const key of ['missedMinutes', 'missedLessons', 'lessonHourFrom', 'lessonHourTo'])
    if (r[key] !== undefined && r[key] !== null && typeof r[key] !== 'number')
      return `${key}: number or null`;
  return null;
}
