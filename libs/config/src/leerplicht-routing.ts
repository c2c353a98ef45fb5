import { readFileSync } from 'node:fs';
import { type ErrorIssue, ValidationError } from '#domain';
import type {
  LeerplichtEndpoint,
  LeerplichtRoutingTable,
  RoutingArrangement,
  RoutingBody,
  RoutingMunicipality,
} from '#application';
import { type YamlPathSegment, readLocatedYaml, yamlPathText } from '#privacy';
import { CONFIG_ERRORS } from './config-error-codes.js';

/** One problem in a routing table: the field path and where it is in the text (1-based line and column). */
export interface RoutingIssue extends ErrorIssue {
  readonly line: number;
  readonly column: number;
}

export const LEERPLICHT_ROUTING_INVALID = 'LEERPLICHT_ROUTING_INVALID';

type Segment = YamlPathSegment;
type Raw = Record<string, unknown>;

const CBS_CODE = /^\d{4}$/;
const BODY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CHANNELS = ['webhook', 'inbox', 'none'];
const BODY_KINDS = ['LEERPLICHT', 'DOORSTROOMPUNT'];
const ARRANGEMENT_KINDS = ['GEMEENSCHAPPELIJKE_REGELING', 'ALTERNATIEVE_ROUTERING'];
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/** Reads a routing table file (YAML or JSON); see `parseLeerplichtRouting`. */
export function loadLeerplichtRouting(file: string): LeerplichtRoutingTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ValidationError(LEERPLICHT_ROUTING_INVALID, `the routing table cannot be read (${file})`, [
      { field: '', code: CONFIG_ERRORS.FILE_UNREADABLE, message: 'the file cannot be read' },
    ]);
  }
  return parseLeerplichtRouting(text);
}

/**
 * Parses and validates a leerplicht routing table (config/leerplicht/routing.schema.json, plus the checks
 * a schema cannot make: references between entries, overlapping periods, merger chains). Every problem is
 * reported at once in one ValidationError `LEERPLICHT_ROUTING_INVALID` whose issues are `RoutingIssue`s.
 */
export function parseLeerplichtRouting(text: string): LeerplichtRoutingTable {
  const { doc, syntaxErrors, locate } = readLocatedYaml(text);
  if (syntaxErrors.length > 0) {
    throw invalid(
      syntaxErrors.map((error): RoutingIssue => ({
        field: '',
        code: CONFIG_ERRORS.YAML_SYNTAX,
        message: error.message,
        line: error.line,
        column: error.column,
      })),
    );
  }
  const issues: RoutingIssue[] = [];
  const report = (path: readonly Segment[], code: string, message: string, key = false): void => {
    const at = locate(path, key);
    issues.push({ field: yamlPathText(path), code, message, line: at.line, column: at.column });
  };
  const table = readTable(doc.toJS({ maxAliasCount: 100 }) as unknown, report);
  if (issues.length > 0 || table === null) throw invalid(issues);
  return table;
}

type Report = (path: readonly Segment[], code: string, message: string, key?: boolean) => void;

function readTable(value: unknown, report: Report): LeerplichtRoutingTable | null {
  if (!isObject(value)) {
    report([], 'NOT_AN_OBJECT', 'the routing table must be a mapping');
    return null;
  }
  unknownKeys(value, [], ['version', 'doorstroompunt', 'municipalities', 'bodies', 'arrangements'], report);
  const version = str(value, [], 'version', report, true) ?? '';
  let doorstroompunt = { minAge: 18, maxAge: 23 };
  const dsp = value['doorstroompunt'];
  if (dsp !== undefined) {
    if (!isObject(dsp)) report(['doorstroompunt'], 'NOT_AN_OBJECT', 'must be a mapping');
    else {
      unknownKeys(dsp, ['doorstroompunt'], ['minAge', 'maxAge'], report);
      const minAge = int(dsp, ['doorstroompunt'], 'minAge', 0, 30, report) ?? 18;
      const maxAge = int(dsp, ['doorstroompunt'], 'maxAge', 0, 30, report) ?? 23;
      if (minAge > maxAge)
        report(['doorstroompunt', 'maxAge'], 'AGE_ORDER', 'maxAge must not be below minAge');
      doorstroompunt = { minAge, maxAge };
    }
  }
  const municipalities = list(value, 'municipalities', report, true).flatMap((raw, i) => {
    const m = readMunicipality(raw, ['municipalities', i], report);
    return m === null ? [] : [m];
  });
  const bodies = list(value, 'bodies', report, false).flatMap((raw, i) => {
    const b = readBody(raw, ['bodies', i], report);
    return b === null ? [] : [b];
  });
  const arrangements = list(value, 'arrangements', report, false).flatMap((raw, i) => {
    const a = readArrangement(raw, ['arrangements', i], report);
    return a === null ? [] : [a];
  });
  crossCheck(municipalities, bodies, arrangements, value, report);
  return { version, doorstroompunt, municipalities, bodies, arrangements };
}

function readMunicipality(raw: unknown, at: Segment[], report: Report): RoutingMunicipality | null {
  if (!isObject(raw)) {
    report(at, 'NOT_AN_OBJECT', 'must be a mapping');
    return null;
  }
  unknownKeys(
    raw,
    at,
    ['code', 'name', 'rmcRegion', 'mergedInto', 'endpoint', 'validFrom', 'validTo'],
    report,
  );
  const code = str(raw, at, 'code', report, true);
  if (code !== null && !CBS_CODE.test(code)) report([...at, 'code'], 'INVALID_CBS_CODE', 'must be 4 digits');
  const name = str(raw, at, 'name', report, true);
  const rmcRegion = str(raw, at, 'rmcRegion', report, false);
  const mergedInto = str(raw, at, 'mergedInto', report, false);
  if (mergedInto !== null && !CBS_CODE.test(mergedInto))
    report([...at, 'mergedInto'], 'INVALID_CBS_CODE', 'must be 4 digits');
  if (mergedInto !== null && raw['validTo'] === undefined)
    report([...at, 'mergedInto'], 'MERGE_WITHOUT_END', 'a merged municipality needs validTo');
  const period = readPeriod(raw, at, report);
  const endpoint = readEndpoint(raw, at, report);
  if (code === null || name === null) return null;
  return {
    code,
    name,
    ...(rmcRegion !== null ? { rmcRegion } : {}),
    ...(mergedInto !== null ? { mergedInto } : {}),
    ...(endpoint !== null ? { endpoint } : {}),
    ...period,
  };
}

function readBody(raw: unknown, at: Segment[], report: Report): RoutingBody | null {
  if (!isObject(raw)) {
    report(at, 'NOT_AN_OBJECT', 'must be a mapping');
    return null;
  }
  unknownKeys(raw, at, ['id', 'name', 'kind', 'endpoint', 'validFrom', 'validTo'], report);
  const id = str(raw, at, 'id', report, true);
  if (id !== null && (CBS_CODE.test(id) || !BODY_ID.test(id)))
    report([...at, 'id'], 'INVALID_BODY_ID', 'letters, digits, . _ - (at most 64), not a 4-digit code');
  const name = str(raw, at, 'name', report, true);
  const kind = oneOf(raw, at, 'kind', BODY_KINDS, report, true);
  const period = readPeriod(raw, at, report);
  const endpoint = readEndpoint(raw, at, report);
  if (id === null || name === null || kind === null) return null;
  return {
    id,
    name,
    kind: kind as RoutingBody['kind'],
    ...(endpoint !== null ? { endpoint } : {}),
    ...period,
  };
}

function readArrangement(raw: unknown, at: Segment[], report: Report): RoutingArrangement | null {
  if (!isObject(raw)) {
    report(at, 'NOT_AN_OBJECT', 'must be a mapping');
    return null;
  }
  unknownKeys(raw, at, ['id', 'kind', 'body', 'municipalities', 'validFrom', 'validTo'], report);
  const id = str(raw, at, 'id', report, true);
  const kind = oneOf(raw, at, 'kind', ARRANGEMENT_KINDS, report, true);
  const body = str(raw, at, 'body', report, true);
  const period = readPeriod(raw, at, report);
  const codes = raw['municipalities'];
  const municipalities: string[] = [];
  if (!Array.isArray(codes) || codes.length === 0) {
    report([...at, 'municipalities'], 'REQUIRED', 'a non-empty list of CBS codes is required');
  } else {
    codes.forEach((c: unknown, i: number) => {
      if (typeof c !== 'string' || !CBS_CODE.test(c))
        report([...at, 'municipalities', i], 'INVALID_CBS_CODE', 'must be a 4-digit string (quote it)');
      else municipalities.push(c);
    });
  }
  if (id === null || kind === null || body === null) return null;
  return { id, kind: kind as RoutingArrangement['kind'], body, municipalities, ...period };
}

function readEndpoint(raw: Raw, at: Segment[], report: Report): LeerplichtEndpoint | null {
  const value = raw['endpoint'];
  if (value === undefined) return null;
  const here = [...at, 'endpoint'];
  if (!isObject(value)) {
    report(here, 'NOT_AN_OBJECT', 'must be a mapping');
    return null;
  }
  unknownKeys(value, here, ['channel', 'webhookUrl', 'publicJwk'], report);
  const channel = oneOf(value, here, 'channel', CHANNELS, report, true);
  const webhookUrl = str(value, here, 'webhookUrl', report, false);
  if (webhookUrl !== null) {
    try {
      const url = new URL(webhookUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
      if (url.username || url.password)
        report([...here, 'webhookUrl'], 'URL_WITH_CREDENTIALS', 'must not carry credentials');
    } catch {
      report([...here, 'webhookUrl'], 'INVALID_URL', 'must be an http(s) URL');
    }
  }
  if (channel === 'webhook' && webhookUrl === null)
    report([...here, 'webhookUrl'], 'REQUIRED', 'required for channel webhook');
  if (channel !== 'webhook' && webhookUrl !== null)
    report([...here, 'webhookUrl'], 'NOT_ALLOWED', 'only for channel webhook');
  const jwk = value['publicJwk'];
  let publicJwk: LeerplichtEndpoint['publicJwk'];
  if (jwk !== undefined) {
    if (
      !isObject(jwk) ||
      jwk['kty'] !== 'EC' ||
      jwk['crv'] !== 'P-256' ||
      typeof jwk['x'] !== 'string' ||
      typeof jwk['y'] !== 'string'
    ) {
      report([...here, 'publicJwk'], 'INVALID_JWK', 'must be an EC P-256 public JWK (kty, crv, x, y)');
    } else if (PRIVATE_JWK_MEMBERS.some((m) => m in jwk)) {
      report(
        [...here, 'publicJwk'],
        'PRIVATE_KEY_IN_CONFIG',
        'a private key never belongs in the routing table',
      );
    } else publicJwk = jwk as LeerplichtEndpoint['publicJwk'];
  }
  if (channel === null) return null;
  return {
    channel: channel as LeerplichtEndpoint['channel'],
    ...(webhookUrl !== null ? { webhookUrl } : {}),
    ...(publicJwk !== undefined ? { publicJwk } : {}),
  };
}

function readPeriod(raw: Raw, at: Segment[], report: Report): { validFrom?: string; validTo?: string } {
  const date = (key: string): string | null => {
    const value = raw[key];
    if (value === undefined) return null;
    if (typeof value !== 'string' || !ISO_DATE.test(value) || !isRealDate(value)) {
      report([...at, key], 'INVALID_DATE', 'must be a date YYYY-MM-DD (quote it)');
      return null;
    }
    return value;
  };
  const validFrom = date('validFrom');
  const validTo = date('validTo');
  if (validFrom !== null && validTo !== null && validTo < validFrom)
    report([...at, 'validTo'], 'DATE_ORDER', 'validTo must not be before validFrom');
  return { ...(validFrom !== null ? { validFrom } : {}), ...(validTo !== null ? { validTo } : {}) };
}

function crossCheck(
  municipalities: readonly RoutingMunicipality[],
  bodies: readonly RoutingBody[],
  arrangements: readonly RoutingArrangement[],
  raw: Raw,
  report: Report,
): void {
  const overlapping = <T extends { validFrom?: string; validTo?: string }>(
    items: readonly T[],
    key: (item: T) => string,
    section: string,
    field: string,
    what: string,
  ): void => {
    const indexOf = (item: T): number =>
      (raw[section] as unknown[]).findIndex(
        (r) =>
          isObject(r) &&
          r[field] === key(item) &&
          r['validFrom'] === item.validFrom &&
          r['validTo'] === item.validTo,
      );
    items.forEach((a, i) => {
      for (const b of items.slice(i + 1)) {
        if (key(a) !== key(b)) continue;
        const aFrom = a.validFrom ?? '0000-01-01';
        const aTo = a.validTo ?? '9999-12-31';
        const bFrom = b.validFrom ?? '0000-01-01';
        const bTo = b.validTo ?? '9999-12-31';
        if (aFrom <= bTo && bFrom <= aTo) {
          report(
            [section, indexOf(b), field],
            'OVERLAPPING_PERIOD',
            `${what} ${key(a)} has overlapping periods`,
          );
        }
      }
    });
  };
  overlapping(municipalities, (m) => m.code, 'municipalities', 'code', 'municipality');
  overlapping(bodies, (b) => b.id, 'bodies', 'id', 'body');

  const bodyIds = new Set(bodies.map((b) => b.id));
  const codes = new Set(municipalities.map((m) => m.code));
  const rawMunicipalities = Array.isArray(raw['municipalities']) ? (raw['municipalities'] as unknown[]) : [];
  rawMunicipalities.forEach((r, i) => {
    if (!isObject(r)) return;
    const region = r['rmcRegion'];
    if (typeof region === 'string') {
      const body = bodies.find((b) => b.id === region);
      if (body === undefined) report(['municipalities', i, 'rmcRegion'], 'UNKNOWN_BODY', `no body ${region}`);
      else if (body.kind !== 'DOORSTROOMPUNT')
        report(
          ['municipalities', i, 'rmcRegion'],
          'NOT_A_DOORSTROOMPUNT',
          `${region} is not a DOORSTROOMPUNT body`,
        );
    }
    const merged = r['mergedInto'];
    if (typeof merged === 'string' && !codes.has(merged))
      report(['municipalities', i, 'mergedInto'], 'UNKNOWN_MUNICIPALITY', `no municipality ${merged}`);
    if (typeof merged === 'string' && merged === r['code'])
      report(['municipalities', i, 'mergedInto'], 'MERGE_LOOP', 'a municipality cannot merge into itself');
  });
  const ids = new Set<string>();
  const rawArrangements = Array.isArray(raw['arrangements']) ? (raw['arrangements'] as unknown[]) : [];
  rawArrangements.forEach((r, i) => {
    if (!isObject(r)) return;
    const id = r['id'];
    if (typeof id === 'string') {
      if (ids.has(id)) report(['arrangements', i, 'id'], 'DUPLICATE', `arrangement ${id} is defined twice`);
      ids.add(id);
    }
    const body = r['body'];
    if (typeof body === 'string') {
      if (!bodyIds.has(body)) report(['arrangements', i, 'body'], 'UNKNOWN_BODY', `no body ${body}`);
      else if (bodies.some((b) => b.id === body && b.kind !== 'LEERPLICHT'))
        report(['arrangements', i, 'body'], 'NOT_A_LEERPLICHT_BODY', `${body} is not a LEERPLICHT body`);
    }
    const list = Array.isArray(r['municipalities']) ? (r['municipalities'] as unknown[]) : [];
    list.forEach((c, j) => {
      if (typeof c === 'string' && CBS_CODE.test(c) && !codes.has(c))
        report(['arrangements', i, 'municipalities', j], 'UNKNOWN_MUNICIPALITY', `no municipality ${c}`);
    });
  });
  arrangements.forEach((a, i) => {
    for (const b of arrangements.slice(i + 1)) {
      const shared = a.municipalities.filter((c) => b.municipalities.includes(c));
      const aFrom = a.validFrom ?? '0000-01-01';
      const aTo = a.validTo ?? '9999-12-31';
      const bFrom = b.validFrom ?? '0000-01-01';
      const bTo = b.validTo ?? '9999-12-31';
      if (shared.length > 0 && aFrom <= bTo && bFrom <= aTo) {
        const index = rawArrangements.findIndex((r) => isObject(r) && r['id'] === b.id);
        report(
          ['arrangements', index, 'municipalities'],
          'OVERLAPPING_ARRANGEMENT',
          `${shared.join(', ')} also in ${a.id} in the same period`,
        );
      }
    }
  });
}

function list(raw: Raw, key: string, report: Report, required: boolean): unknown[] {
  const value = raw[key];
  if (value === undefined || value === null) {
    if (required) report([key], 'REQUIRED', `${key} is required`);
    return [];
  }
  if (!Array.isArray(value)) {
    report([key], 'NOT_A_LIST', 'must be a list');
    return [];
  }
  return value;
}

function str(raw: Raw, at: Segment[], key: string, report: Report, required: boolean): string | null {
  const value = raw[key];
  if (value === undefined || value === null) {
    if (required) report([...at, key], 'REQUIRED', `${key} is required`);
    return null;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    report([...at, key], 'NOT_A_STRING', 'must be a non-empty string (quote codes: "0344")');
    return null;
  }
  return value.trim();
}

function oneOf(
  raw: Raw,
  at: Segment[],
  key: string,
  allowed: readonly string[],
  report: Report,
  required: boolean,
): string | null {
  const value = str(raw, at, key, report, required);
  if (value !== null && !allowed.includes(value)) {
    report([...at, key], 'NOT_ALLOWED', `must be one of ${allowed.join(', ')}`);
    return null;
  }
  return value;
}

function int(raw: Raw, at: Segment[], key: string, min: number, max: number, report: Report): number | null {
  const value = raw[key];
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    report([...at, key], 'NOT_AN_INTEGER', `must be an integer from ${min} to ${max}`);
    return null;
  }
  return value;
}

function unknownKeys(raw: Raw, at: Segment[], known: readonly string[], report: Report): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) report([...at, key], 'UNKNOWN_KEY', `unknown key "${key}"`, true);
  }
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRealDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function invalid(issues: readonly RoutingIssue[]): ValidationError {
  const where = issues.slice(0, 5).map((i) => `${i.field || '(root)'} line ${i.line}: ${i.code}`);
  return new ValidationError(
    LEERPLICHT_ROUTING_INVALID,
    `the leerplicht routing table has ${issues.length} problem(s): ${where.join('; ')}`,
    issues,
  );
}
