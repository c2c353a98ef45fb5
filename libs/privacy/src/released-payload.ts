import type { Decision, DisclosureRequest } from '#domain';
import { type DecideOptions, decide } from './decide.js';
import type { Policy } from './policy.types.js';

/** Proof of construction: only this module holds it, so only `release` can make a ReleasedPayload. */
const TOKEN: unique symbol = Symbol('ReleasedPayload');
let construct: (fields: Record<string, unknown>, decision: Decision) => ReleasedPayload;

/**
 * The only thing a connector may send: the fields a permit decision released, nothing else, with the
 * decision that released them. It cannot be written as a literal or copied into one (the `#private` field
 * makes the type nominal), cannot be constructed outside this module (private constructor, and a
 * module-private token at run time), and cannot be changed (frozen deep copies).
 */
export class ReleasedPayload {
  readonly #fields: Readonly<Record<string, unknown>>;
  readonly #decision: Decision;

  private constructor(token: typeof TOKEN, fields: Record<string, unknown>, decision: Decision) {
    if (token !== TOKEN) throw new TypeError('a ReleasedPayload is made only by release()');
    this.#fields = deepFreeze(fields);
    this.#decision = deepFreeze(structuredClone(decision));
    Object.freeze(this);
  }

  static {
    construct = (fields, decision) => new ReleasedPayload(TOKEN, fields, decision);
  }

  /** Whether a value is a genuine ReleasedPayload (brand check on the private field). */
  static is(value: unknown): value is ReleasedPayload {
    return typeof value === 'object' && value !== null && #fields in value;
  }

  /** The released fields by path (frozen). */
  get fields(): Readonly<Record<string, unknown>> {
    return this.#fields;
  }

  /** The permit decision that released these fields (frozen). */
  get decision(): Decision {
    return this.#decision;
  }

  get paths(): readonly string[] {
    return Object.keys(this.#fields);
  }

  has(path: string): boolean {
    return Object.hasOwn(this.#fields, path);
  }

  get(path: string): unknown {
    return Object.hasOwn(this.#fields, path) ? this.#fields[path] : undefined;
  }

  toJSON(): { fields: Readonly<Record<string, unknown>>; policy: Decision['policy'] } {
    return { fields: this.#fields, policy: this.#decision.policy };
  }
}

export interface Release {
  readonly decision: Decision;
  /** Null unless the decision is a permit. */
  readonly released: ReleasedPayload | null;
}

/** Decides, and for a permit builds the payload of exactly the released fields (deep copies). */
export function release(policy: Policy, request: DisclosureRequest, options: DecideOptions): Release {
  const decision = decide(policy, request, options);
  if (decision.effect !== 'permit') return { decision, released: null };
  const fields: Record<string, unknown> = {};
  for (const path of decision.released) fields[path] = structuredClone(request.payload[path]);
  return { decision, released: construct(fields, decision) };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
