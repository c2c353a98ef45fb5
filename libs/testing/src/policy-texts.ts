import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Document, parseDocument } from 'yaml';

/** The shipped default policy, `config/privacy/default.policy.yaml`, read from the repository. */
export const DEFAULT_POLICY_PATH = fileURLToPath(
  new URL('../../../../config/privacy/default.policy.yaml', import.meta.url),
);

export function defaultPolicyText(): string {
  return readFileSync(DEFAULT_POLICY_PATH, 'utf8');
}

export interface PolicyEdit {
  readonly id?: string;
  readonly version?: string;
  readonly effectiveFrom?: string;
  readonly effectiveUntil?: string;
  /** rule id → extra field paths or categories the rule releases */
  readonly releaseAlso?: Readonly<Record<string, readonly string[]>>;
  /** rule id → field paths or categories dropped from the rule's fields */
  readonly releaseNoLonger?: Readonly<Record<string, readonly string[]>>;
  /** category → { context → ISO 8601 duration } merged into `retention.categories` */
  readonly retention?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** rule ids removed from the policy */
  readonly dropRules?: readonly string[];
  /** rule id → conditions set in its `when` (null: the condition is removed) */
  readonly ruleWhen?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** invariant ids removed from the policy's `invariants` */
  readonly dropInvariants?: readonly string[];
  /** invariants appended to the policy's `invariants` */
  readonly addInvariants?: readonly unknown[];
}

/**
 * A variation of a real policy text (by default the shipped one), edited through the YAML document so the
 * comments and the rest stay as they are: other id/version/dates, rules releasing more or less, other
 * retention periods.
 */
export function policyVariant(edit: PolicyEdit, base: string = defaultPolicyText()): string {
  const doc = parseDocument(base);
  for (const key of ['id', 'version', 'effectiveFrom', 'effectiveUntil'] as const) {
    if (edit[key] !== undefined) doc.set(key, edit[key]);
  }
  for (const [rule, fields] of Object.entries(edit.releaseAlso ?? {})) {
    const index = ruleIndex(doc, rule);
    const current = (doc.getIn(['rules', index, 'fields']) as { toJSON(): string[] }).toJSON();
    doc.setIn(['rules', index, 'fields'], [...current, ...fields]);
  }
  for (const [rule, fields] of Object.entries(edit.releaseNoLonger ?? {})) {
    const index = ruleIndex(doc, rule);
    const current = (doc.getIn(['rules', index, 'fields']) as { toJSON(): string[] }).toJSON();
    doc.setIn(
      ['rules', index, 'fields'],
      current.filter((f) => !fields.includes(f)),
    );
  }
  for (const [category, periods] of Object.entries(edit.retention ?? {})) {
    doc.setIn(['retention', 'categories', category], doc.createNode(periods));
  }
  for (const [rule, when] of Object.entries(edit.ruleWhen ?? {})) {
    const index = ruleIndex(doc, rule);
    for (const [key, value] of Object.entries(when)) {
      if (value === null) doc.deleteIn(['rules', index, 'when', key]);
      else doc.setIn(['rules', index, 'when', key], doc.createNode(value));
    }
  }
  for (const rule of edit.dropRules ?? []) doc.deleteIn(['rules', ruleIndex(doc, rule)]);
  for (const id of edit.dropInvariants ?? []) {
    const list = (doc.get('invariants') as { toJSON(): { id: string }[] }).toJSON();
    const index = list.findIndex((i) => i.id === id);
    if (index < 0) throw new Error(`no invariant ${id} in the policy`);
    doc.deleteIn(['invariants', index]);
  }
  for (const invariant of edit.addInvariants ?? []) {
    const list = (doc.get('invariants') as { toJSON(): unknown[] } | undefined)?.toJSON() ?? [];
    doc.set('invariants', doc.createNode([...list, invariant]));
  }
  return doc.toString();
}

function ruleIndex(doc: Document, id: string): number {
  const rules = (doc.get('rules') as { toJSON(): { id: string }[] }).toJSON();
  const index = rules.findIndex((r) => r.id === id);
  if (index < 0) throw new Error(`no rule ${id} in the policy`);
  return index;
}
