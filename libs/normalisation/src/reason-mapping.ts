import {
  CATEGORIES,
  CATEGORY_INFO,
  type Category,
  type ErrorIssue,
  LEGAL_CLASSES,
  type LegalClass,
  type Result,
  SOURCE_SYSTEMS,
  type SourceSystemId,
  fail,
  isConsistentLegalClass,
  ok,
} from '#domain';
import { NORMALISATION_ERRORS } from './normalisation-error-codes.js';

/** What one school-defined reason code means. */
export interface ReasonMappingEntry {
  readonly category: Category;
  /** Fixed by the category, except for OTHER, where the school says authorised or unauthorised. */
  readonly legalClass: LegalClass;
  /** The school marks this reason as luxury absence (holiday outside the holidays) for the LPW_LUXE rule. */
  readonly luxury: boolean;
}

/** A school's versioned reason mapping for one source system (contracts §5, extended with the object form). */
export interface ReasonMapping {
  readonly system: SourceSystemId;
  readonly version: string;
  /** Keyed by the code without trailing whitespace (see `normaliseReasonCode`). */
  readonly reasons: ReadonlyMap<string, ReasonMappingEntry>;
}

/**
 * The form in which reason codes are compared: trailing whitespace removed (Magister pads codes and
 * descriptions), otherwise exact, case included. An empty code is no code.
 */
export function normaliseReasonCode(code: string | null): string | null {
  if (code === null) return null;
  const trimmed = code.trimEnd();
  return trimmed === '' ? null : trimmed;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const ENTRY_FIELDS: ReadonlySet<string> = new Set(['category', 'legalClass', 'luxury']);

/**
 * Validates an already parsed JSON or YAML mapping:
 * `{ system, version, reasons: { "<code>": "<CATEGORY>" | { category, legalClass?, luxury? } } }`.
 * Issues name the offending key (school codes are configuration, not personal data), never a value.
 * Unknown top-level keys (a description, the school) are ignored; unknown keys inside an entry are an issue,
 * because a misspelt `legalClass` would otherwise silently change a legal class.
 */
export function parseReasonMapping(value: unknown): Result<ReasonMapping> {
  if (!isObject(value)) {
    return fail([
      { field: '(root)', code: NORMALISATION_ERRORS.WRONG_TYPE, message: 'a reason mapping is an object' },
    ]);
  }
  const issues: ErrorIssue[] = [];

  const system = value['system'];
  if (system === undefined || system === null) {
    issues.push({ field: 'system', code: NORMALISATION_ERRORS.MISSING_FIELD, message: 'system is missing' });
  } else if (typeof system !== 'string' || !(SOURCE_SYSTEMS as readonly string[]).includes(system)) {
    issues.push({
      field: 'system',
      code: NORMALISATION_ERRORS.UNKNOWN_SYSTEM,
      message: `system must be one of ${SOURCE_SYSTEMS.join(', ')}`,
    });
  }

  // YAML reads `version: 3` as a number; a number is accepted and kept as text.
  const rawVersion = value['version'];
  let version = '';
  if (rawVersion === undefined || rawVersion === null) {
    issues.push({
      field: 'version',
      code: NORMALISATION_ERRORS.MISSING_FIELD,
      message: 'version is missing',
    });
  } else if (
    typeof rawVersion === 'string' ||
    (typeof rawVersion === 'number' && Number.isFinite(rawVersion))
  ) {
    version = String(rawVersion).trim();
    if (version === '')
      issues.push({
        field: 'version',
        code: NORMALISATION_ERRORS.EMPTY_VERSION,
        message: 'version is empty',
      });
  } else {
    issues.push({ field: 'version', code: NORMALISATION_ERRORS.WRONG_TYPE, message: 'version must be text' });
  }

  const reasons = new Map<string, ReasonMappingEntry>();
  const rawReasons = value['reasons'];
  if (rawReasons === undefined || rawReasons === null) {
    issues.push({
      field: 'reasons',
      code: NORMALISATION_ERRORS.MISSING_FIELD,
      message: 'reasons is missing',
    });
  } else if (!isObject(rawReasons)) {
    issues.push({
      field: 'reasons',
      code: NORMALISATION_ERRORS.WRONG_TYPE,
      message: 'reasons must map codes to categories',
    });
  } else {
    const keyOf = new Map<string, string>();
    for (const [key, raw] of Object.entries(rawReasons)) {
      const field = `reasons[${JSON.stringify(key)}]`;
      const code = normaliseReasonCode(key);
      if (code === null) {
        issues.push({ field, code: NORMALISATION_ERRORS.EMPTY_CODE, message: 'a reason code is empty' });
        continue;
      }
      const earlier = keyOf.get(code);
      if (earlier !== undefined) {
        issues.push({
          field,
          code: NORMALISATION_ERRORS.DUPLICATE_CODE,
          message: `the same code as reasons[${JSON.stringify(earlier)}] once trailing spaces are ignored`,
        });
        continue;
      }
      keyOf.set(code, key);
      const entry = parseEntry(raw, field, issues);
      if (entry !== null) reasons.set(code, entry);
    }
  }

  if (issues.length > 0) return fail(issues);
  return ok({ system: system as SourceSystemId, version, reasons });
}

function parseEntry(raw: unknown, field: string, issues: ErrorIssue[]): ReasonMappingEntry | null {
  let category: unknown;
  let legalClass: unknown;
  let luxury: unknown;
  let categoryField = field;
  if (typeof raw === 'string') {
    category = raw;
  } else if (isObject(raw)) {
    for (const key of Object.keys(raw)) {
      if (!ENTRY_FIELDS.has(key)) {
        issues.push({
          field: `${field}.${key}`,
          code: NORMALISATION_ERRORS.UNKNOWN_FIELD,
          message: 'an entry has only category, legalClass and luxury',
        });
        return null;
      }
    }
    ({ category, legalClass, luxury } = raw);
    categoryField = `${field}.category`;
    if (category === undefined || category === null) {
      issues.push({
        field: categoryField,
        code: NORMALISATION_ERRORS.MISSING_FIELD,
        message: 'category is missing',
      });
      return null;
    }
  } else {
    issues.push({
      field,
      code: NORMALISATION_ERRORS.WRONG_TYPE,
      message: 'an entry is a category code or { category, legalClass?, luxury? }',
    });
    return null;
  }

  if (typeof category !== 'string' || !(CATEGORIES as readonly string[]).includes(category)) {
    issues.push({
      field: categoryField,
      code: NORMALISATION_ERRORS.UNKNOWN_CATEGORY,
      message: 'not one of the canonical categories',
    });
    return null;
  }
  const cat = category as Category;
  let cls: LegalClass;
  if (legalClass === undefined || legalClass === null) {
    const fixed = CATEGORY_INFO[cat].legalClass;
    if (fixed === null) {
      issues.push({
        field: `${field}.legalClass`,
        code: NORMALISATION_ERRORS.MISSING_LEGAL_CLASS,
        message: 'OTHER needs legalClass authorised or unauthorised',
      });
      return null;
    }
    cls = fixed;
  } else if (typeof legalClass !== 'string' || !(LEGAL_CLASSES as readonly string[]).includes(legalClass)) {
    issues.push({
      field: `${field}.legalClass`,
      code: NORMALISATION_ERRORS.UNKNOWN_LEGAL_CLASS,
      message: `legalClass must be one of ${LEGAL_CLASSES.join(', ')}`,
    });
    return null;
  } else if (!isConsistentLegalClass(cat, legalClass as LegalClass)) {
    issues.push({
      field: `${field}.legalClass`,
      code: NORMALISATION_ERRORS.INCONSISTENT_LEGAL_CLASS,
      message: 'this legal class does not fit the category',
    });
    return null;
  } else {
    cls = legalClass as LegalClass;
  }
  if (luxury !== undefined && luxury !== null && typeof luxury !== 'boolean') {
    issues.push({
      field: `${field}.luxury`,
      code: NORMALISATION_ERRORS.WRONG_TYPE,
      message: 'luxury must be true or false',
    });
    return null;
  }
  return { category: cat, legalClass: cls, luxury: luxury === true };
}
