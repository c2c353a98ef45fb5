import { parseArgs } from 'node:util';
import { isDomainError } from '#domain';
import {
  type Policy,
  type PolicyProof,
  decide,
  parseDisclosureRequest,
  parsePolicy,
  provePolicy,
} from '#privacy';
import { UsageError, readStructured, readText } from './read-input.js';

const SUBCOMMANDS = ['check', 'verify', 'decide'] as const;

/** `policy check|verify <file>`, `policy decide --policy <file> --request <file> [--at <date>]` (contracts §1). */
export async function runPolicy(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'check':
      return check(rest);
    case 'verify':
      return verify(rest);
    case 'decide':
      return decideCommand(rest);
    default:
      throw new UsageError(`policy needs a subcommand: ${SUBCOMMANDS.join(', ')}`);
  }
}

function onePolicyFile(args: readonly string[], sub: string): string {
  const { positionals } = parseArgs({ args: [...args], strict: true, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError(`policy ${sub} needs exactly one <policy-file>`);
  return positionals[0];
}

type Loaded = { ok: true; policy: Policy } | { ok: false; output: object };

async function load(file: string): Promise<Loaded> {
  const parsed = parsePolicy(await readText(file, 'policy'), file);
  if (parsed.ok) return { ok: true, policy: parsed.value };
  return {
    ok: false,
    output: {
      valid: false,
      source: file,
      problems: parsed.issues.map(({ line, column, path, code, message }) => ({
        line,
        column,
        path,
        code,
        message,
      })),
    },
  };
}

function print(value: object): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

async function check(args: readonly string[]): Promise<number> {
  const file = onePolicyFile(args, 'check');
  const loaded = await load(file);
  if (!loaded.ok) {
    print(loaded.output);
    return 1;
  }
  const { policy } = loaded;
  print({
    valid: true,
    source: file,
    policy: { id: policy.id, version: policy.version },
    effectiveFrom: policy.effectiveFrom,
    ...(policy.effectiveUntil === undefined ? {} : { effectiveUntil: policy.effectiveUntil }),
    rules: policy.rules.length,
    enabledRules: policy.rules.filter((r) => r.enabled).length,
    invariants: policy.invariants.length,
    problems: [],
  });
  return 0;
}

async function verify(args: readonly string[]): Promise<number> {
  const file = onePolicyFile(args, 'verify');
  const loaded = await load(file);
  if (!loaded.ok) {
    print(loaded.output);
    return 1;
  }
  const started = process.hrtime.bigint();
  // The statutory floor first (source "floor", with its ground), then the invariants the policy adds.
  const proof = provePolicy(loaded.policy);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  print({
    policy: proof.policy,
    holds: proof.holds,
    combinationsChecked: proof.combinationsChecked,
    seconds: Math.round(seconds * 1000) / 1000,
    invariants: proof.invariants,
  });
  if (!proof.holds) {
    for (const failed of proof.invariants.filter((i) => !i.holds))
      process.stderr.write(
        `ketenpoort policy verify: invariant ${failed.id} does not hold: ${failed.counterexample?.field} is released by rule ${failed.counterexample?.releasedBy}\n`,
      );
  }
  return proof.holds ? 0 : 1;
}

/**
 * A policy file given to a command that decides is proven first (ADR 0012): failing, nothing is decided;
 * stdout gets `{ holds: false, code: POLICY_PROOF_FAILED, policy, failing }`, stderr one line per failing
 * invariant (its code, id and Dutch message), and the command exits 1.
 */
export function refuseUnproven(command: string, file: string, proof: PolicyProof): boolean {
  if (proof.holds) return false;
  print({
    holds: false,
    code: 'POLICY_PROOF_FAILED',
    source: file,
    policy: proof.policy,
    failing: proof.failing,
  });
  process.stderr.write(
    `ketenpoort ${command}: POLICY_PROOF_FAILED: ${file} fails its proof; nothing was decided\n`,
  );
  for (const f of proof.failing)
    process.stderr.write(`ketenpoort ${command}: ${f.code}: ${f.invariant}: ${f.message}\n`);
  return true;
}

async function decideCommand(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: { policy: { type: 'string' }, request: { type: 'string' }, at: { type: 'string' } },
  });
  if (!values.policy || !values.request)
    throw new UsageError('policy decide needs --policy <file> and --request <file>');
  const loaded = await load(values.policy);
  if (!loaded.ok) {
    print(loaded.output);
    return 1;
  }
  if (refuseUnproven('policy decide', values.policy, provePolicy(loaded.policy))) return 1;
  const request = parseDisclosureRequest(await readStructured(values.request, 'request'));
  if (!request.ok)
    throw new UsageError(
      `request ${values.request} is invalid: ${request.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    );
  // The CLI is an edge: without --at it decides for now. The engine itself has no clock.
  const at = values.at ?? new Date().toISOString();
  try {
    print(decide(loaded.policy, request.value, { at }));
    return 0;
  } catch (error) {
    if (isDomainError(error) && error.kind === 'validation') throw new UsageError(`--at: ${error.message}`);
    throw error;
  }
}
