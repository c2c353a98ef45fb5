import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { ConfigurationError } from '#config';
import { fail, ok, type ErrorIssue, type Result } from '#domain';
import { actorFromClaims, actorToClaims, type ActorClaims } from './actor-claims.js';
import { AUTH_ERRORS } from './auth-error-codes.js';

/** Where a value comes from: a claim of the identity provider (optionally a list, looked up, prefixed) or a constant. */
export type ClaimSource =
  | { readonly value: string | readonly string[] }
  | { readonly claim: string; readonly list?: boolean; readonly lookup?: string; readonly prefix?: string };

export interface ClaimsRule {
  readonly id: string;
  readonly when: {
    readonly claim: string;
    readonly present?: true;
    readonly equals?: string;
    readonly includes?: string;
  };
  readonly role: ClaimSource;
  readonly scope?: Readonly<Record<string, ClaimSource>>;
}

/** The claims-mapping table (docs/console/claims-mapping.md): the first matching rule makes the actor. */
export interface ClaimsMapping {
  readonly version: 1;
  /** The claim with the person's stable id (default `sub`). */
  readonly subject?: string;
  /** The claim with a display name (default `name`). */
  readonly name?: string;
  readonly rules: readonly ClaimsRule[];
  readonly lookups?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The shipped mapping: `config/auth/claims-mapping.yaml` next to `dist/`. */
export const DEFAULT_CLAIMS_MAPPING_FILE = fileURLToPath(
  new URL('../../../../../config/auth/claims-mapping.yaml', import.meta.url),
);
const SCHEMA_FILE = fileURLToPath(
  new URL('../../../../../config/auth/claims-mapping.schema.json', import.meta.url),
);

/** Reads and validates a claims-mapping file; a bad file is a ConfigurationError naming the file and the problem. */
export function loadClaimsMapping(file: string | null): ClaimsMapping {
  const path = file ?? DEFAULT_CLAIMS_MAPPING_FILE;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigurationError([`OIDC_CLAIMS_MAPPING: cannot read ${path}`]);
  }
  const result = parseClaimsMapping(text);
  if (!result.ok) {
    throw new ConfigurationError(
      result.issues.map((issue) => `OIDC_CLAIMS_MAPPING ${path}: ${issue.field} ${issue.message}`),
    );
  }
  return result.value;
}

let validator: ReturnType<Ajv['compile']> | null = null;

/** Parses a claims-mapping text (YAML or JSON) against its schema; lookups that rules name must exist. */
export function parseClaimsMapping(text: string): Result<ClaimsMapping> {
  let data: unknown;
  try {
    data = parse(text);
  } catch {
    return fail([{ field: '(file)', code: AUTH_ERRORS.CLAIMS_MAPPING_SYNTAX, message: 'is not valid YAML' }]);
  }
  validator ??= new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
  if (!validator(data)) {
    return fail(
      (validator.errors ?? []).map((e) => ({
        field: e.instancePath || '(root)',
        code: AUTH_ERRORS.CLAIMS_MAPPING_INVALID,
        message: e.message ?? 'is invalid',
      })),
    );
  }
  const mapping = data as ClaimsMapping;
  const issues: ErrorIssue[] = [];
  mapping.rules.forEach((rule, index) => {
    for (const [field, source] of Object.entries({ role: rule.role, ...(rule.scope ?? {}) })) {
      if ('lookup' in source && source.lookup && !mapping.lookups?.[source.lookup]) {
        issues.push({
          field: `/rules/${index}/${field}`,
          code: AUTH_ERRORS.CLAIMS_MAPPING_LOOKUP,
          message: `names lookup "${source.lookup}", which is not defined`,
        });
      }
    }
  });
  return issues.length > 0 ? fail(issues) : ok(mapping);
}

export interface MappedIdentity {
  readonly claims: ActorClaims;
  /** The rule that matched (for the audit of a sign-in; never the claim values). */
  readonly rule: string;
  readonly name: string | null;
}

/**
 * Turns an identity provider's claims into actor claims through the first matching rule, then checks them as
 * a bearer token's claims are checked (actorFromClaims). Issues name claims and rules, never their values.
 */
export function mapClaims(
  mapping: ClaimsMapping,
  idp: Readonly<Record<string, unknown>>,
): Result<MappedIdentity> {
  const rule = mapping.rules.find((r) => matches(r.when, idp[r.when.claim]));
  if (!rule) {
    return fail([
      { field: 'rules', code: AUTH_ERRORS.CLAIMS_NO_RULE, message: 'no rule of the claims mapping matches' },
    ]);
  }
  const subject = idp[mapping.subject ?? 'sub'];
  const candidate: Record<string, unknown> = { sub: subject, role: resolve(mapping, rule.role, idp) };
  for (const [field, source] of Object.entries(rule.scope ?? {})) {
    const value = resolve(mapping, source, idp);
    if (value !== undefined) candidate[field] = value;
  }
  const checked = actorFromClaims(candidate);
  if (!checked.ok) {
    return fail(checked.issues.map((issue) => ({ ...issue, message: `${issue.message} (rule ${rule.id})` })));
  }
  const name = idp[mapping.name ?? 'name'];
  return ok({
    claims: actorToClaims(checked.value),
    rule: rule.id,
    name: typeof name === 'string' && name.trim() !== '' ? name.trim().slice(0, 200) : null,
  });
}

function matches(when: ClaimsRule['when'], value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (when.present) return true;
  const values = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+/) : [];
  if (when.equals !== undefined) return value === when.equals;
  if (when.includes !== undefined) return values.includes(when.includes);
  return false;
}

function resolve(
  mapping: ClaimsMapping,
  source: ClaimSource,
  idp: Readonly<Record<string, unknown>>,
): unknown {
  if ('value' in source) return source.value;
  const raw = idp[source.claim];
  if (raw === undefined || raw === null) return undefined;
  const table = source.lookup ? mapping.lookups?.[source.lookup] : undefined;
  const one = (item: unknown): unknown => {
    if (typeof item !== 'string') return item;
    const looked = table ? (Object.hasOwn(table, item) ? table[item] : undefined) : item;
    return looked === undefined ? undefined : `${source.prefix ?? ''}${looked}`;
  };
  if (source.list) {
    const items = (Array.isArray(raw) ? raw : [raw]).map(one);
    return items.includes(undefined) ? undefined : items;
  }
  // A single value given as a one-element list (SAML attributes often are) is taken as that value.
  const single: unknown = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
  return one(single);
}
