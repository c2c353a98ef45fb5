import {
  type ErrorIssue,
  type MeasureUnit,
  type Result,
  SCHOOL_SECTORS,
  SIGNAL_RULES,
  type SchoolSector,
  type SignalRule,
  fail,
  ok,
} from '#domain';
import { parse as parseYaml } from 'yaml';
import { isValidDate } from './dates.js';
import { RULEPACK_ERRORS } from './rulepack-error-codes.js';

/** One step of a lateness ladder: at `count` late arrivals, `action` (Dutch, shown to school staff). */
export interface LatenessStep {
  readonly count: number;
  readonly action: string;
  /** A step that means "report to leerplicht" proposes an OVERIG report. */
  readonly report?: boolean;
}

/** The settings of each rule. Every rule also has `enabled` and `legalBasis`. */
export interface RuleSettings {
  readonly LPW_16H_4W: {
    readonly threshold: number;
    readonly windowSchoolWeeks: number;
    readonly unitBySector: Readonly<Record<SchoolSector, MeasureUnit>>;
    /** A lesson of at most this many minutes counts as one lesson hour. */
    readonly lessonHourMaxMinutes: number;
    /** During continuous absence, at most one report per this many calendar days. */
    readonly continuousMinIntervalDays: number;
    readonly deadlineWorkingDays: number;
    readonly adultAge: number;
    /** 18+: ALLOWED (law) or EXPECTED (a regional agreement asks the school to report). */
    readonly adultReport: 'ALLOWED' | 'EXPECTED';
  };
  readonly LPW_LRV: {
    /** Continuous absence longer than this many weeks (7 calendar days each). */
    readonly weeks: number;
    /** A school day counts as an absent day when a whole-day record or at least these minutes are unauthorised. */
    readonly absentDayMinMinutes: number;
    readonly deadlineWorkingDays: number;
    readonly maxAge: number;
  };
  readonly LPW_LUXE: {
    readonly adjacentToHoliday: boolean;
    /** Reason codes (the source's own `reasonCode`) the school's mapping flags as luxury. */
    readonly luxuryReasonCodes: readonly string[];
    readonly absentDayMinMinutes: number;
    readonly deadlineWorkingDays: number;
    readonly maxAge: number;
  };
  readonly WEB_DOORSTROOMPUNT: {
    readonly minAge: number;
    readonly maxAge: number;
    /** At least this many weeks of continuous absence (or the institution's shorter setting). */
    readonly weeks: number;
    readonly absentDayMinMinutes: number;
    readonly deadlineWorkingDays: number;
  };
  readonly LATENESS_LADDER: { readonly steps: readonly LatenessStep[] };
  readonly MAZL: {
    readonly sickReports: number;
    readonly windowSchoolWeeks: number;
    /** When set, the window is this many calendar days instead of school weeks (regional variant). */
    readonly windowCalendarDays: number | null;
    readonly consecutiveSickSchoolDays: number;
  };
  readonly LEAVE_LIMIT: {
    readonly holidayLeaveMaxSchoolDays: number;
    readonly holidayLeaveMaxPerSchoolYear: number;
    readonly holidayLeaveBlockedFirstSchoolWeeks: number;
    readonly importantCircumstancesMaxSchoolDays: number;
    readonly underSixParentHoursPerWeek: number;
    readonly underSixHeadHoursPerWeek: number;
  };
  readonly SUSPENSION_NOTICE: {
    /** Suspensions of at least this many school days need a notice to the Inspectie (> 1 day: 2). */
    readonly minSchoolDays: number;
    readonly maxSchoolDays: number;
    readonly deadlineWorkingDays: number;
  };
  readonly EXPULSION_NOTICE: { readonly deadlineWorkingDays: number };
  readonly UNCHECKED_LESSON: { readonly graceDays: number };
  readonly CALL_BACK: { readonly deadlineWorkingDays: number };
}

export interface RuleCommon {
  readonly enabled: boolean;
  readonly legalBasis: string;
}

export type RuleConfig<K extends SignalRule> = RuleSettings[K] &
  RuleCommon & {
    /** The pack that last set this rule (signals name it). */
    readonly source: { readonly id: string; readonly version: string };
  };

export interface Rulepack {
  readonly id: string;
  readonly version: string;
  readonly effectiveFrom: string;
  readonly effectiveTo?: string;
  readonly kind: 'national' | 'regional';
  readonly region?: string;
  readonly description?: string;
  /** Settings per rule; a regional pack holds only what it adds or overrides. */
  readonly rules: { readonly [K in SignalRule]?: Partial<RuleSettings[K] & RuleCommon> };
  /** Provenance per rule after loadRulepack (which pack last set it). */
  readonly ruleSources?: { readonly [K in SignalRule]?: { readonly id: string; readonly version: string } };
}

type FieldType =
  | 'count'
  | 'number'
  | 'boolean'
  | 'string'
  | 'stringList'
  | 'unitMap'
  | 'steps'
  | 'adultReport'
  | 'countOrNull';

const COMMON: Record<string, FieldType> = { enabled: 'boolean', legalBasis: 'string' };

const FIELDS: { readonly [K in SignalRule]: Record<keyof RuleSettings[K], FieldType> } = {
  LPW_16H_4W: {
    threshold: 'number',
    windowSchoolWeeks: 'count',
    unitBySector: 'unitMap',
    lessonHourMaxMinutes: 'count',
    continuousMinIntervalDays: 'count',
    deadlineWorkingDays: 'count',
    adultAge: 'count',
    adultReport: 'adultReport',
  },
  LPW_LRV: { weeks: 'count', absentDayMinMinutes: 'count', deadlineWorkingDays: 'count', maxAge: 'count' },
  LPW_LUXE: {
    adjacentToHoliday: 'boolean',
    luxuryReasonCodes: 'stringList',
    absentDayMinMinutes: 'count',
    deadlineWorkingDays: 'count',
    maxAge: 'count',
  },
  WEB_DOORSTROOMPUNT: {
    minAge: 'count',
    maxAge: 'count',
    weeks: 'count',
    absentDayMinMinutes: 'count',
    deadlineWorkingDays: 'count',
  },
  LATENESS_LADDER: { steps: 'steps' },
  MAZL: {
    sickReports: 'count',
    windowSchoolWeeks: 'count',
    windowCalendarDays: 'countOrNull',
    consecutiveSickSchoolDays: 'count',
  },
  LEAVE_LIMIT: {
    holidayLeaveMaxSchoolDays: 'count',
    holidayLeaveMaxPerSchoolYear: 'count',
    holidayLeaveBlockedFirstSchoolWeeks: 'count',
    importantCircumstancesMaxSchoolDays: 'count',
    underSixParentHoursPerWeek: 'number',
    underSixHeadHoursPerWeek: 'number',
  },
  SUSPENSION_NOTICE: { minSchoolDays: 'count', maxSchoolDays: 'count', deadlineWorkingDays: 'count' },
  EXPULSION_NOTICE: { deadlineWorkingDays: 'count' },
  UNCHECKED_LESSON: { graceDays: 'count' },
  CALL_BACK: { deadlineWorkingDays: 'count' },
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkField(type: FieldType, value: unknown, field: string, issues: ErrorIssue[]): void {
  const bad = (code: string, message: string): void => void issues.push({ field, code, message });
  switch (type) {
    case 'count':
      if (!Number.isInteger(value) || (value as number) < 0)
        bad(RULEPACK_ERRORS.NOT_A_COUNT, 'must be an integer ≥ 0');
      return;
    case 'countOrNull':
      if (value !== null && (!Number.isInteger(value) || (value as number) < 1))
        bad(RULEPACK_ERRORS.NOT_A_COUNT, 'must be an integer ≥ 1 or null');
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        bad(RULEPACK_ERRORS.NOT_A_NUMBER, 'must be a number ≥ 0');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') bad(RULEPACK_ERRORS.NOT_A_BOOLEAN, 'must be true or false');
      return;
    case 'string':
      if (typeof value !== 'string' || value.trim() === '')
        bad(RULEPACK_ERRORS.NOT_A_STRING, 'must be a non-empty string');
      return;
    case 'adultReport':
      if (value !== 'ALLOWED' && value !== 'EXPECTED')
        bad(RULEPACK_ERRORS.INVALID_VALUE, 'must be ALLOWED or EXPECTED');
      return;
    case 'stringList':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
        bad(RULEPACK_ERRORS.NOT_A_STRING_LIST, 'must be a list of strings');
      return;
    case 'unitMap':
      if (!isObject(value))
        return bad(RULEPACK_ERRORS.NOT_A_MAP, 'must map each sector to CLOCK_HOUR or LESSON_HOUR');
      for (const [sector, unit] of Object.entries(value)) {
        if (!(SCHOOL_SECTORS as readonly string[]).includes(sector))
          issues.push({
            field: `${field}.${sector}`,
            code: RULEPACK_ERRORS.UNKNOWN_SECTOR,
            message: 'unknown sector',
          });
        else if (unit !== 'CLOCK_HOUR' && unit !== 'LESSON_HOUR')
          issues.push({
            field: `${field}.${sector}`,
            code: RULEPACK_ERRORS.INVALID_UNIT,
            message: 'must be CLOCK_HOUR or LESSON_HOUR',
          });
      }
      return;
    case 'steps': {
      if (!Array.isArray(value))
        return bad(RULEPACK_ERRORS.NOT_A_LIST, 'must be a list of { count, action }');
      let previous = 0;
      value.forEach((step: unknown, i) => {
        const at = `${field}[${i}]`;
        if (!isObject(step)) {
          issues.push({
            field: at,
            code: RULEPACK_ERRORS.NOT_AN_OBJECT,
            message: 'must be { count, action }',
          });
          return;
        }
        if (!Number.isInteger(step['count']) || (step['count'] as number) <= previous)
          issues.push({
            field: `${at}.count`,
            code: RULEPACK_ERRORS.STEP_NOT_ASCENDING,
            message: 'counts must be integers in ascending order',
          });
        else previous = step['count'] as number;
        if (typeof step['action'] !== 'string' || step['action'].trim() === '')
          issues.push({
            field: `${at}.action`,
            code: RULEPACK_ERRORS.NOT_A_STRING,
            message: 'must be a non-empty string',
          });
        if (step['report'] !== undefined && typeof step['report'] !== 'boolean')
          issues.push({
            field: `${at}.report`,
            code: RULEPACK_ERRORS.NOT_A_BOOLEAN,
            message: 'must be true or false',
          });
      });
      return;
    }
  }
}

/** Validates a parsed rulepack; every problem at once. */
export function validateRulepack(value: unknown): Result<Rulepack> {
  const issues: ErrorIssue[] = [];
  if (!isObject(value))
    return fail([{ field: '', code: RULEPACK_ERRORS.NOT_AN_OBJECT, message: 'a rulepack is a map' }]);
  for (const key of ['id', 'version'] as const) {
    if (typeof value[key] !== 'string' || value[key].trim() === '')
      issues.push({
        field: key,
        code: RULEPACK_ERRORS.REQUIRED,
        message: `${key} must be a non-empty string`,
      });
  }
  if (!isValidDate(value['effectiveFrom']))
    issues.push({
      field: 'effectiveFrom',
      code: RULEPACK_ERRORS.INVALID_DATE,
      message: 'must be a date YYYY-MM-DD',
    });
  if (value['effectiveTo'] !== undefined && !isValidDate(value['effectiveTo']))
    issues.push({
      field: 'effectiveTo',
      code: RULEPACK_ERRORS.INVALID_DATE,
      message: 'must be a date YYYY-MM-DD',
    });
  if (value['kind'] !== 'national' && value['kind'] !== 'regional')
    issues.push({
      field: 'kind',
      code: RULEPACK_ERRORS.INVALID_VALUE,
      message: 'must be national or regional',
    });
  for (const key of Object.keys(value)) {
    if (
      !['id', 'version', 'effectiveFrom', 'effectiveTo', 'kind', 'region', 'description', 'rules'].includes(
        key,
      )
    )
      issues.push({ field: key, code: RULEPACK_ERRORS.UNKNOWN_FIELD, message: 'not a rulepack field' });
  }
  const rules = value['rules'];
  if (!isObject(rules)) {
    issues.push({
      field: 'rules',
      code: RULEPACK_ERRORS.REQUIRED,
      message: 'rules must be a map of rule name to settings',
    });
  } else {
    for (const [name, settings] of Object.entries(rules)) {
      const at = `rules.${name}`;
      if (!(SIGNAL_RULES as readonly string[]).includes(name)) {
        issues.push({
          field: at,
          code: RULEPACK_ERRORS.UNKNOWN_RULE,
          message: `known rules: ${SIGNAL_RULES.join(', ')}`,
        });
        continue;
      }
      if (!isObject(settings)) {
        issues.push({
          field: at,
          code: RULEPACK_ERRORS.NOT_AN_OBJECT,
          message: 'rule settings must be a map',
        });
        continue;
      }
      const fields: Record<string, FieldType> = { ...COMMON, ...FIELDS[name as SignalRule] };
      for (const [key, v] of Object.entries(settings)) {
        const type = fields[key];
        if (type === undefined)
          issues.push({
            field: `${at}.${key}`,
            code: RULEPACK_ERRORS.UNKNOWN_FIELD,
            message: 'not a setting of this rule',
          });
        else checkField(type, v, `${at}.${key}`, issues);
      }
      if (value['kind'] === 'national') {
        for (const key of Object.keys(fields)) {
          if (!(key in settings))
            issues.push({
              field: `${at}.${key}`,
              code: RULEPACK_ERRORS.REQUIRED,
              message: 'a national pack sets every field',
            });
        }
        const unitMap = settings['unitBySector'];
        if (name === 'LPW_16H_4W' && isObject(unitMap)) {
          for (const sector of SCHOOL_SECTORS)
            if (!(sector in unitMap))
              issues.push({
                field: `${at}.unitBySector.${sector}`,
                code: RULEPACK_ERRORS.REQUIRED,
                message: 'every sector needs a unit',
              });
        }
      }
    }
    if (value['kind'] === 'national') {
      for (const name of SIGNAL_RULES)
        if (!(name in rules))
          issues.push({
            field: `rules.${name}`,
            code: RULEPACK_ERRORS.REQUIRED,
            message: 'a national pack sets every rule',
          });
    }
  }
  return issues.length > 0 ? fail(issues) : ok(value as unknown as Rulepack);
}

/** Parses a rulepack from YAML or JSON text (JSON is YAML) and validates it; every problem at once. */
export function parseRulepack(text: string, source = 'rulepack'): Result<Rulepack> {
  let parsed: unknown;
  try {
    parsed = parseYaml(text) as unknown;
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    return fail([
      {
        field: '',
        code: RULEPACK_ERRORS.UNPARSEABLE,
        message: `${source} is not valid YAML or JSON${line ? ` (line ${line})` : ''}`,
      },
    ]);
  }
  return validateRulepack(parsed);
}

/**
 * A national pack with a regional pack on top: the regional pack adds rules or overrides settings by key
 * (field by field within a rule). Each rule remembers which pack last set it, and signals name that pack.
 */
export function loadRulepack(national: Rulepack, regional?: Rulepack): Rulepack {
  const sources: Partial<Record<SignalRule, { id: string; version: string }>> = {};
  const rules: Partial<Record<SignalRule, Record<string, unknown>>> = {};
  for (const pack of regional ? [national, regional] : [national]) {
    for (const name of SIGNAL_RULES) {
      const settings = pack.rules[name];
      if (!settings) continue;
      rules[name] = { ...rules[name], ...settings };
      sources[name] = pack.ruleSources?.[name] ?? { id: pack.id, version: pack.version };
    }
  }
  if (!regional) return { ...national, ruleSources: { ...sources, ...national.ruleSources } };
  return {
    id: regional.id,
    version: regional.version,
    effectiveFrom:
      regional.effectiveFrom > national.effectiveFrom ? regional.effectiveFrom : national.effectiveFrom,
    ...(regional.effectiveTo !== undefined ? { effectiveTo: regional.effectiveTo } : {}),
    kind: 'regional',
    ...(regional.region !== undefined ? { region: regional.region } : {}),
    description: `${national.id}@${national.version} + ${regional.id}@${regional.version}`,
    rules: rules,
    ruleSources: sources,
  };
}

/** The defaults the national pack spells out; used for a field a pack leaves out. */
export const RULE_DEFAULTS: { readonly [K in SignalRule]: RuleSettings[K] & RuleCommon } = {
  LPW_16H_4W: {
    enabled: true,
    legalBasis: 'Leerplichtwet 1969 art. 21 en 21a',
    threshold: 16,
    windowSchoolWeeks: 4,
    unitBySector: {
      po: 'CLOCK_HOUR',
      sbo: 'CLOCK_HOUR',
      so: 'CLOCK_HOUR',
      vso: 'LESSON_HOUR',
      pro: 'LESSON_HOUR',
      vo: 'LESSON_HOUR',
      mbo: 'LESSON_HOUR',
    },
    lessonHourMaxMinutes: 60,
    continuousMinIntervalDays: 7,
    deadlineWorkingDays: 5,
    adultAge: 18,
    adultReport: 'ALLOWED',
  },
  LPW_LRV: {
    enabled: true,
    legalBasis: 'Leerplichtwet 1969 art. 21a; DUO: langdurig relatief verzuim',
    weeks: 4,
    absentDayMinMinutes: 180,
    deadlineWorkingDays: 5,
    maxAge: 18,
  },
  LPW_LUXE: {
    enabled: true,
    legalBasis: 'Leerplichtwet 1969 art. 13a en 21a; DUO: luxe verzuim',
    adjacentToHoliday: true,
    luxuryReasonCodes: [],
    absentDayMinMinutes: 180,
    deadlineWorkingDays: 5,
    maxAge: 18,
  },
  WEB_DOORSTROOMPUNT: {
    enabled: true,
    legalBasis: 'Wet educatie en beroepsonderwijs art. 8.1.8a',
    minAge: 18,
    maxAge: 23,
    weeks: 4,
    absentDayMinMinutes: 180,
    deadlineWorkingDays: 5,
  },
  LATENESS_LADDER: { enabled: false, legalBasis: 'Regionaal verzuimprotocol (te laat komen)', steps: [] },
  MAZL: {
    enabled: true,
    legalBasis: 'MAZL (ncj.nl): signaal voor de zorgstructuur van de school',
    sickReports: 4,
    windowSchoolWeeks: 12,
    windowCalendarDays: null,
    consecutiveSickSchoolDays: 7,
  },
  LEAVE_LIMIT: {
    enabled: true,
    legalBasis: 'Leerplichtwet 1969 art. 11a, 11g, 13a en 14',
    holidayLeaveMaxSchoolDays: 10,
    holidayLeaveMaxPerSchoolYear: 1,
    holidayLeaveBlockedFirstSchoolWeeks: 2,
    importantCircumstancesMaxSchoolDays: 10,
    underSixParentHoursPerWeek: 5,
    underSixHeadHoursPerWeek: 5,
  },
  SUSPENSION_NOTICE: {
    enabled: true,
    legalBasis: 'Schorsing langer dan 1 dag: schriftelijke melding aan de Inspectie (Internet Schooldossier)',
    minSchoolDays: 2,
    maxSchoolDays: 5,
    deadlineWorkingDays: 0,
  },
  EXPULSION_NOTICE: {
    enabled: true,
    legalBasis: 'Leerplichtwet 1969 art. 18; WEB art. 8.1.8 (mbo)',
    deadlineWorkingDays: 0,
  },
  UNCHECKED_LESSON: {
    enabled: true,
    legalBasis: 'Registratieprincipe 2 (drie bronnen): elke les een presentiecontrole',
    graceDays: 1,
  },
  CALL_BACK: {
    enabled: true,
    legalBasis: 'Registratieprincipe 2 (drie bronnen): nabellen bij afwezigheid zonder melding',
    deadlineWorkingDays: 0,
  },
};

/** A rule's effective configuration in a pack (defaults for missing fields), or null when disabled/absent. */
const configCache = new WeakMap<Rulepack, Map<SignalRule, RuleConfig<SignalRule> | null>>();

export function ruleConfig<K extends SignalRule>(pack: Rulepack, rule: K): RuleConfig<K> | null {
  let perPack = configCache.get(pack);
  if (!perPack) {
    perPack = new Map();
    configCache.set(pack, perPack);
  }
  const hit = perPack.get(rule);
  if (hit !== undefined) return hit as RuleConfig<K> | null;
  const made = makeRuleConfig(pack, rule);
  perPack.set(rule, made);
  return made;
}

function makeRuleConfig<K extends SignalRule>(pack: Rulepack, rule: K): RuleConfig<K> | null {
  const settings = pack.rules[rule];
  if (!settings) return null;
  const merged = { ...RULE_DEFAULTS[rule], ...settings } as RuleSettings[K] & RuleCommon;
  if (!merged.enabled) return null;
  const source = pack.ruleSources?.[rule] ?? { id: pack.id, version: pack.version };
  return { ...merged, source } as unknown as RuleConfig<K>;
}
