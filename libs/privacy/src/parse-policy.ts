import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { DISCLOSURE_FIELD_PATHS, type Result, fail, ok } from '#domain';
import { POLICY_SCHEMA } from './policy-schema.js';
import {
  type Policy,
  type PolicyProblem,
  type PolicyRule,
  RESERVED_RULE_IDS,
  type RuleConditions,
} from './policy.types.js';
import { durationMs, instantOf } from './time.js';
import { type LocatedYaml, type YamlPathSegment, readLocatedYaml, yamlPathText } from './yaml-locate.js';

type Segment = YamlPathSegment;

let validator: ValidateFunction | null = null;
function validate(): ValidateFunction {
  validator ??= new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(POLICY_SCHEMA);
  return validator;
}

const FIELD_PATHS: ReadonlySet<string> = new Set(DISCLOSURE_FIELD_PATHS);

/**
 * Reads a policy from YAML (or JSON, which YAML includes), validates it against the policy schema and the
 * semantic checks, and reports every problem at once with its line and column in `text`.
 */
export function parsePolicy(text: string, source?: string): Result<Policy, PolicyProblem[]> {
  let yaml: LocatedYaml;
  try {
    yaml = readLocatedYaml(text);
  } catch {
    // The YAML library gives up on text it cannot read at all (nesting beyond its stack): a problem, not a crash.
    return fail([problem(1, 1, '', 'YAML_SYNTAX', 'the document could not be read', source)]);
  }
  const { doc } = yaml;
  const at: Locate = (path, key) => ({ ...yaml.locate(path, key), path: yamlPathText(path) });
  const withSource = (problems: PolicyProblem[]): PolicyProblem[] =>
    source ? problems.map((p) => ({ ...p, source })) : problems;

  if (yaml.syntaxErrors.length > 0) {
    return fail(
      yaml.syntaxErrors.map((error) =>
        problem(error.line, error.column, '', 'YAML_SYNTAX', error.message, source),
      ),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Aliases that expand into more than the limit allows (an "alias bomb", ADR 0013) are refused, never expanded.
    const aliases = error instanceof ReferenceError && /alias/i.test(error.message);
    return fail([
      problem(
        1,
        1,
        '',
        aliases ? 'YAML_ALIAS_LIMIT' : 'YAML_SYNTAX',
        aliases ? 'the aliases expand into too many nodes' : 'the document could not be read',
        source,
      ),
    ]);
  }
  if (!validate()(value)) {
    const problems = (validate().errors ?? [])
      .filter((e) => e.keyword !== 'if')
      .map((e) => schemaProblem(e, at));
    return fail(withSource(dedupe(problems)));
  }
  const policy = normalise(value as RawPolicy);
  const problems = semanticProblems(policy, at);
  return problems.length > 0 ? fail(withSource(problems)) : ok(policy);
}

interface RawPolicy extends Omit<Policy, 'rules' | 'retention' | 'invariants'> {
  readonly rules: (Omit<PolicyRule, 'enabled' | 'when'> & { enabled?: boolean; when?: RuleConditions })[];
  readonly retention: { default: string; categories?: Policy['retention']['categories'] };
  readonly invariants?: Policy['invariants'];
}

function normalise(raw: RawPolicy): Policy {
  return {
    ...raw,
    rules: raw.rules.map((rule) => ({ ...rule, enabled: rule.enabled ?? true, when: rule.when ?? {} })),
    retention: { default: raw.retention.default, categories: raw.retention.categories ?? {} },
    invariants: raw.invariants ?? [],
  };
}

type Locate = (path: readonly Segment[], key?: boolean) => { line: number; column: number; path: string };

/** A JSON pointer as path segments; digit-only segments become indices (the locator walks sequences). */
function pointerSegments(pointer: string): Segment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function schemaProblem(error: ErrorObject, at: Locate): PolicyProblem {
  const segments = pointerSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? 'is invalid';
  let where = at(segments);
  let code = `SCHEMA_${error.keyword.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
  if (error.keyword === 'additionalProperties') {
    const name = String(params['additionalProperty']);
    where = at([...segments, name], true);
    message = `unknown property "${name}"`;
  } else if (error.keyword === 'required') {
    message = `missing required property "${String(params['missingProperty'])}"`;
  } else if (error.keyword === 'propertyNames') {
    const name = String(params['propertyName']);
    where = at([...segments, name], true);
    message = `"${name}" is not an allowed name here`;
  } else if (error.keyword === 'enum') {
    const allowed = (params['allowedValues'] as unknown[]).map(String);
    message = `must be one of: ${allowed.join(', ')}`;
  } else if (error.keyword === 'not') {
    code = 'SCHEMA_CONFLICT';
    message = 'use either recipients or recipientsExcept, not both';
  }
  return { ...where, field: where.path, code, message };
}

function dedupe(problems: PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.column}:${p.code}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function problem(
  line: number,
  column: number,
  path: string,
  code: string,
  message: string,
  source?: string,
): PolicyProblem {
  return { line, column, path, field: path, code, message, ...(source ? { source } : {}) };
}

/** Checks a schema cannot express: references between sections, duplicates, empty ranges. */
function semanticProblems(policy: Policy, at: Locate): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const add = (path: Segment[], code: string, message: string, key = false): void => {
    const where = at(path, key);
    problems.push({ ...where, field: where.path, code, message });
  };

  for (const [name, fields] of Object.entries(policy.dataCategories)) {
    fields.forEach((field, i) => {
      if (!FIELD_PATHS.has(field))
        add(
          ['dataCategories', name, i],
          'UNKNOWN_FIELD',
          `"${field}" is not a field path of the report vocabulary`,
        );
    });
  }
  const checkFieldRefs = (refs: readonly string[] | undefined, path: Segment[]): void => {
    refs?.forEach((ref, i) => {
      if (ref === '*') return;
      if (ref.includes('.')) {
        if (!FIELD_PATHS.has(ref))
          add([...path, i], 'UNKNOWN_FIELD', `"${ref}" is not a field path of the report vocabulary`);
      } else if (!(ref in policy.dataCategories)) {
        add([...path, i], 'UNKNOWN_DATA_CATEGORY', `"${ref}" is not a data category of this policy`);
      }
    });
  };
  const checkPurposes = (purposes: readonly string[] | undefined, path: Segment[]): void => {
    purposes?.forEach((purpose, i) => {
      if (!(purpose in policy.purposes))
        add([...path, i], 'UNKNOWN_PURPOSE', `purpose "${purpose}" is not declared under purposes`);
    });
  };
  const checkRecipients = (recipients: readonly string[] | undefined, path: Segment[]): void => {
    recipients?.forEach((recipient, i) => {
      if (!(recipient in policy.recipients))
        add([...path, i], 'UNKNOWN_RECIPIENT', `recipient "${recipient}" is not declared under recipients`);
    });
  };
  const checkRange = (from: string | undefined, until: string | undefined, path: Segment[]): void => {
    if (from === undefined || until === undefined) return;
    const a = instantOf(from);
    const b = instantOf(until);
    if (Number.isNaN(a)) add([...path.slice(0, -1), 'validFrom'], 'INVALID_DATE', `"${from}" is not a date`);
    else if (Number.isNaN(b)) add(path, 'INVALID_DATE', `"${until}" is not a date`);
    else if (a >= b) add(path, 'EMPTY_RANGE', `${until} is not after ${from}: the range is empty`);
  };

  for (const key of ['effectiveFrom', 'effectiveUntil'] as const) {
    const value = policy[key];
    if (value !== undefined && Number.isNaN(instantOf(value)))
      add([key], 'INVALID_DATE', `"${value}" is not a date`);
  }
  checkRange(policy.effectiveFrom, policy.effectiveUntil, ['effectiveUntil']);

  const ruleIds = new Map<string, number>();
  policy.rules.forEach((rule, r) => {
    const base: Segment[] = ['rules', r];
    if (RESERVED_RULE_IDS.includes(rule.id))
      add([...base, 'id'], 'RESERVED_RULE_ID', `"${rule.id}" is reserved for the engine`);
    const first = ruleIds.get(rule.id);
    if (first !== undefined)
      add([...base, 'id'], 'DUPLICATE_RULE_ID', `rule id "${rule.id}" is already used by rules[${first}]`);
    else ruleIds.set(rule.id, r);
    checkRecipients(rule.when.recipients, [...base, 'when', 'recipients']);
    checkPurposes(rule.when.purposes, [...base, 'when', 'purposes']);
    checkFieldRefs(rule.fields, [...base, 'fields']);
    const { ageAtLeast, ageBelow } = rule.when;
    if (ageAtLeast !== undefined && ageBelow !== undefined && ageAtLeast >= ageBelow)
      add(
        [...base, 'when', 'ageBelow'],
        'EMPTY_RANGE',
        `ageBelow ${ageBelow} must exceed ageAtLeast ${ageAtLeast}`,
      );
    if (rule.when.validFrom !== undefined && Number.isNaN(instantOf(rule.when.validFrom)))
      add([...base, 'when', 'validFrom'], 'INVALID_DATE', `"${rule.when.validFrom}" is not a date`);
    checkRange(rule.when.validFrom, rule.when.validUntil, [...base, 'when', 'validUntil']);
    if (rule.when.validFrom === undefined && rule.when.validUntil !== undefined)
      if (Number.isNaN(instantOf(rule.when.validUntil)))
        add([...base, 'when', 'validUntil'], 'INVALID_DATE', `"${rule.when.validUntil}" is not a date`);
    const retention = rule.obligations?.retention;
    if (retention !== undefined && Number.isNaN(durationMs(retention)))
      add(
        [...base, 'obligations', 'retention'],
        'INVALID_DURATION',
        `"${retention}" is not an ISO 8601 duration`,
      );
  });

  const invariantIds = new Set<string>();
  policy.invariants.forEach((invariant, i) => {
    const base: Segment[] = ['invariants', i];
    if (invariantIds.has(invariant.id))
      add([...base, 'id'], 'DUPLICATE_INVARIANT_ID', `invariant id "${invariant.id}" is used twice`);
    invariantIds.add(invariant.id);
    checkPurposes(invariant.never.purposes, [...base, 'never', 'purposes']);
    checkFieldRefs(invariant.never.fields, [...base, 'never', 'fields']);
  });

  for (const [category, contexts] of Object.entries(policy.retention.categories)) {
    for (const [context, period] of Object.entries(contexts)) {
      if (Number.isNaN(durationMs(period)))
        add(
          ['retention', 'categories', category, context],
          'INVALID_DURATION',
          `"${period}" is not an ISO 8601 duration`,
        );
    }
  }
  if (Number.isNaN(durationMs(policy.retention.default)))
    add(
      ['retention', 'default'],
      'INVALID_DURATION',
      `"${policy.retention.default}" is not an ISO 8601 duration`,
    );
  return problems;
}
