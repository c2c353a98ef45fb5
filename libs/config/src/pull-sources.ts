import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { BRIN_PATTERN, PULL_SYSTEMS, type PullSource, type PullSystem, Secret } from '#domain';
import { ConfigurationError } from './configuration-error.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Defaults of one pull source; every one can be set per source in the file. */
export const PULL_SOURCE_DEFAULTS = {
  intervalMinutes: 15,
  windowDays: 14,
  pageSize: 100,
  timeoutSeconds: 30,
  retries: 4,
  minBackoffMs: 500,
  maxBackoffMs: 30_000,
  maxPageMegabytes: 64,
  somtodayResources: ['absentiemeldingen', 'waarnemingen'],
  /** UNCONFIRMED: SOMtoday's date filter parameter names. Magister's app API uses `van`/`tot`. */
  somtodayWindowParams: { from: 'begindatum', to: 'einddatum' },
  magisterWindowParams: { from: 'van', to: 'tot' },
} as const;

const SOMTODAY_RESOURCES = ['absentiemeldingen', 'waarnemingen'];
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ENV_NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/;

const KNOWN_KEYS = new Set([
  'name',
  'system',
  'board',
  'school',
  'baseUrl',
  'tokenUrl',
  'clientId',
  'clientIdEnv',
  'clientSecretEnv',
  'scope',
  'intervalMinutes',
  'intervalSeconds',
  'windowDays',
  'pupils',
  'pupilsPath',
  'resources',
  'timetable',
  'pageSize',
  'timeoutSeconds',
  'retries',
  'minBackoffMs',
  'maxBackoffMs',
  'maxPageMegabytes',
  'windowParams',
]);

/**
 * Reads and validates the pull sources file named by `PULL_SOURCES_FILE` (YAML or JSON; JSON is YAML).
 * Secrets are never in the file: `clientSecretEnv` names the environment variable that holds the secret,
 * resolved here. All problems are collected and thrown as one ConfigurationError naming sources and keys,
 * never values.
 */
export function loadPullSources(file: string | null, env: Env): PullSource[] {
  if (file === null) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigurationError([`PULL_SOURCES_FILE cannot be read (${file})`]);
  }
  return parsePullSources(text, env);
}

/** `loadPullSources` without the file system (tests, and the CLI's `--sources` file). */
export function parsePullSources(text: string, env: Env): PullSource[] {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch {
    throw new ConfigurationError(['PULL_SOURCES_FILE is not valid YAML or JSON']);
  }
  if (document === null || document === undefined) return [];
  const list = isObject(document) ? document['sources'] : document;
  if (!Array.isArray(list)) {
    throw new ConfigurationError(['PULL_SOURCES_FILE must hold a list of sources, or { sources: [...] }']);
  }
  const problems: string[] = [];
  const sources: PullSource[] = [];
  const names = new Set<string>();
  list.forEach((raw: unknown, index: number) => {
    const source = parseSource(raw, index, env, problems);
    if (source === null) return;
    if (names.has(source.name)) problems.push(`sources[${index}].name: "${source.name}" is used twice`);
    names.add(source.name);
    sources.push(source);
  });
  if (problems.length > 0) throw new ConfigurationError(problems);
  return sources;
}

function parseSource(raw: unknown, index: number, env: Env, problems: string[]): PullSource | null {
  const at = `sources[${index}]`;
  if (!isObject(raw)) {
    problems.push(`${at}: must be an object`);
    return null;
  }
  const before = problems.length;
  for (const key of Object.keys(raw)) {
    if (key === 'clientSecret')
      problems.push(`${at}.clientSecret: never put a secret in the file; use clientSecretEnv`);
    else if (!KNOWN_KEYS.has(key)) problems.push(`${at}.${key}: unknown key`);
  }
  const text = (key: string, required: boolean): string | null => {
    const value = raw[key];
    if (value === undefined || value === null) {
      if (required) problems.push(`${at}.${key}: required`);
      return null;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`${at}.${key}: must be a non-empty string`);
      return null;
    }
    return value.trim();
  };
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const value = raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${at}.${key}: must be an integer between ${min} and ${max}`);
      return fallback;
    }
    return value;
  };
  const url = (key: string): string | null => {
    const value = text(key, true);
    if (value === null) return null;
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('protocol');
      if (parsed.username || parsed.password) {
        problems.push(`${at}.${key}: must not carry credentials`);
        return null;
      }
      return value.replace(/\/+$/, '');
    } catch {
      problems.push(`${at}.${key}: must be an http:// or https:// URL`);
      return null;
    }
  };
  const envValue = (key: string): string | null => {
    const name = text(key, false);
    if (name === null) return null;
    if (!ENV_NAME_PATTERN.test(name)) {
      problems.push(`${at}.${key}: must name an environment variable (A-Z, 0-9, _)`);
      return null;
    }
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      problems.push(`${at}.${key}: environment variable ${name} is not set`);
      return null;
    }
    return value.trim();
  };

  const name = text('name', true);
  if (name !== null && !NAME_PATTERN.test(name)) {
    problems.push(`${at}.name: lower-case letters, digits and dashes, at most 63`);
  }
  const systemText = text('system', true);
  const system =
    systemText !== null && (PULL_SYSTEMS as readonly string[]).includes(systemText)
      ? (systemText as PullSystem)
      : null;
  if (systemText !== null && system === null) {
    problems.push(`${at}.system: must be one of ${PULL_SYSTEMS.join(', ')}`);
  }
  const board = text('board', true);
  const school = text('school', true);
  if (school !== null && !BRIN_PATTERN.test(school))
    problems.push(`${at}.school: must be a BRIN (e.g. 99XX)`);
  const baseUrl = url('baseUrl');
  const tokenUrl = url('tokenUrl');
  const clientId = text('clientId', false) ?? envValue('clientIdEnv');
  if (clientId === null && raw['clientIdEnv'] === undefined)
    problems.push(`${at}.clientId: required (or clientIdEnv)`);
  const secret = envValue('clientSecretEnv');
  if (raw['clientSecretEnv'] === undefined) problems.push(`${at}.clientSecretEnv: required`);
  const scope = text('scope', false);

  const intervalMs =
    raw['intervalSeconds'] !== undefined
      ? int('intervalSeconds', 60, 1, 86_400) * 1000
      : int('intervalMinutes', PULL_SOURCE_DEFAULTS.intervalMinutes, 1, 1440) * 60_000;

  const pupils = stringList(raw['pupils'], `${at}.pupils`, problems);
  const pupilsPath = text('pupilsPath', false);
  if (pupilsPath !== null && !pupilsPath.startsWith('/'))
    problems.push(`${at}.pupilsPath: must start with /`);
  if (system === 'magister' && pupils.length === 0 && pupilsPath === null) {
    problems.push(`${at}: a Magister source needs pupils or pupilsPath`);
  }
  const resources =
    raw['resources'] === undefined
      ? [...PULL_SOURCE_DEFAULTS.somtodayResources]
      : stringList(raw['resources'], `${at}.resources`, problems);
  if (system === 'somtoday') {
    for (const resource of resources) {
      if (!SOMTODAY_RESOURCES.includes(resource)) {
        problems.push(`${at}.resources: ${resource} is not one of ${SOMTODAY_RESOURCES.join(', ')}`);
      }
    }
    if (resources.length === 0) problems.push(`${at}.resources: name at least one list`);
  }
  const timetable = raw['timetable'] ?? false;
  if (typeof timetable !== 'boolean') problems.push(`${at}.timetable: must be true or false`);

  const defaults =
    system === 'magister'
      ? PULL_SOURCE_DEFAULTS.magisterWindowParams
      : PULL_SOURCE_DEFAULTS.somtodayWindowParams;
  let windowParams: { from: string; to: string } = { ...defaults };
  const params = raw['windowParams'];
  if (params !== undefined) {
    if (
      !isObject(params) ||
      typeof params['from'] !== 'string' ||
      typeof params['to'] !== 'string' ||
      params['from'] === '' ||
      params['to'] === ''
    ) {
      problems.push(`${at}.windowParams: must be { from: <name>, to: <name> }`);
    } else {
      windowParams = { from: params['from'], to: params['to'] };
    }
  }
  const minBackoffMs = int('minBackoffMs', PULL_SOURCE_DEFAULTS.minBackoffMs, 0, 600_000);
  const maxBackoffMs = int('maxBackoffMs', PULL_SOURCE_DEFAULTS.maxBackoffMs, 0, 3_600_000);
  if (maxBackoffMs < minBackoffMs) problems.push(`${at}.maxBackoffMs: must not be below minBackoffMs`);

  const source = {
    windowDays: int('windowDays', PULL_SOURCE_DEFAULTS.windowDays, 0, 400),
    pageSize: int('pageSize', PULL_SOURCE_DEFAULTS.pageSize, 1, 1000),
    timeoutMs: int('timeoutSeconds', PULL_SOURCE_DEFAULTS.timeoutSeconds, 1, 600) * 1000,
    retries: int('retries', PULL_SOURCE_DEFAULTS.retries, 0, 20),
    maxPageBytes: int('maxPageMegabytes', PULL_SOURCE_DEFAULTS.maxPageMegabytes, 1, 1024) * 1024 * 1024,
  };
  if (problems.length > before) return null;
  return {
    name: name!,
    system: system!,
    board: board!,
    school: school!,
    baseUrl: baseUrl!,
    tokenUrl: tokenUrl!,
    clientId: clientId!,
    clientSecret: new Secret(secret!),
    scope,
    intervalMs,
    pupils,
    pupilsPath,
    resources: system === 'somtoday' ? resources : [],
    timetable: timetable === true,
    minBackoffMs,
    maxBackoffMs,
    windowParams,
    ...source,
  };
}

function stringList(value: unknown, at: string, problems: string[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(`${at}: must be a list`);
    return [];
  }
  const out: string[] = [];
  value.forEach((item: unknown, i: number) => {
    if (typeof item === 'number' && Number.isInteger(item) && item > 0) out.push(String(item));
    else if (typeof item === 'string' && item.trim() !== '') out.push(item.trim());
    else problems.push(`${at}[${i}]: must be a non-empty string or a positive integer`);
  });
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
