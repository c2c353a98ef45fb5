import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { PolicyResolver, RunRetentionUseCase, type RetentionRunResult, proofLines } from '#application';
import { ConfigurationError, loadPrivacyKeys, type PrivacyKeys, type Settings } from '#config';
import type { PolicyEngine, Pseudonymise, RetentionHook } from '#domain';
import type { ReleasedPayload } from '#privacy';
import {
  TypeOrmAuditLog,
  TypeOrmBoardSettingsStore,
  TypeOrmDisclosureStore,
  TypeOrmPolicyVersionStore,
  TypeOrmPupilRegistry,
  TypeOrmPupilRosterStore,
  TypeOrmAuditLogBrowser,
  TypeOrmRetentionStore,
  TypeOrmRetentionRecords,
  reportDraftRetentionHook,
  signalRetentionHook,
  storedPseudonymiser,
} from '#persistence';
import type { ProcessContext } from './process-context.js';
import { safeError } from './logger.js';

/** The privacy side's stores over an opened infrastructure, with the keys from settings or DATA_DIR. */
export interface PrivacyServices {
  readonly keys: PrivacyKeys;
  readonly pseudonymise: Pseudonymise;
  readonly auditLog: TypeOrmAuditLog;
  /** The privacy officer's view of a board's audit log (issue 15 item 4). */
  readonly auditBrowser: TypeOrmAuditLogBrowser;
  readonly pupils: TypeOrmPupilRegistry;
  /** Names, groups and mentors on the pupils' rows (ADR 0019): read by staff of the pupil's school only. */
  readonly roster: TypeOrmPupilRosterStore;
  /** The board's declaration about its pupil numbers (ADR 0017). */
  readonly boards: TypeOrmBoardSettingsStore;
  readonly disclosures: TypeOrmDisclosureStore;
  readonly policies: TypeOrmPolicyVersionStore;
  readonly retention: TypeOrmRetentionStore;
  /** The retention screen's reads and the verwerkingsregister's facts (issue 15 items 5 and 7). */
  readonly retentionRecords: TypeOrmRetentionRecords;
  /** The process's one engine (its composition root makes it); the dispatcher releases payloads through it. */
  readonly engine: PolicyEngine<ReleasedPayload>;
  /** The board's approved version in force, else the shipped default policy (loaded once at start). */
  readonly resolver: PolicyResolver;
  /** Stores outside the privacy side that take part in retention (signals, report drafts). */
  readonly retentionHooks: readonly RetentionHook[];
}

/** The shipped default policy: `config/privacy/default.policy.yaml` next to `dist/`. */
export const DEFAULT_POLICY_FILE = fileURLToPath(
  new URL('../../../../config/privacy/default.policy.yaml', import.meta.url),
);

/**
 * The policy that applies where a board has no approved version: PRIVACY_POLICY_FILE, else the shipped
 * default. Read, validated and proven (statutory floor and its own invariants) before anything starts; a
 * policy that cannot be read, is invalid or fails the proof is a ConfigurationError (the process exits 78),
 * naming each failing invariant with the same Dutch message the API gives. The proof is cached by text, so
 * later opens in the same process cost nothing.
 */
export function loadStartupPolicy(settings: Pick<Settings, 'privacy'>, engine: PolicyEngine): string {
  const file = settings.privacy.policyFile ?? DEFAULT_POLICY_FILE;
  const name = settings.privacy.policyFile === null ? 'the default privacy policy' : 'PRIVACY_POLICY_FILE';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigurationError([`${name} cannot be read (${file})`]);
  }
  const meta = engine.validate(text);
  if (!meta.ok)
    throw new ConfigurationError(
      meta.issues.map((i) => `${name} (${file}): ${i.field}: ${i.code}: ${i.message}`),
    );
  const proof = engine.prove(text);
  if (!proof.holds) {
    throw new ConfigurationError([
      `${name} (${file}): POLICY_PROOF_FAILED: the policy fails its proof; nothing can be decided under it`,
      ...proofLines(proof).map((line) => `${name} (${file}): ${line}`),
    ]);
  }
  return text;
}

/** Opens the privacy side once per process: `Infrastructure.privacy()` calls it (and keeps the result). */
export async function openPrivacyServices(
  infra: Pick<ProcessContext, 'settings' | 'dataSource' | 'logger'>,
  engine: PolicyEngine<ReleasedPayload>,
): Promise<PrivacyServices> {
  // Read, validated and proven once; an invalid, missing or unproven policy stops the start (exit 78).
  const defaultPolicyText = loadStartupPolicy(infra.settings, engine);
  const keys = await loadPrivacyKeys(infra.settings);
  if (infra.settings.mode === 'production' && keys.source !== 'settings') {
    infra.logger.warn(
      { keyFile: 'privacy-keys.json' },
      'PUPIL_DATA_KEY / PUPIL_PSEUDONYM_KEY not set: using the key file in DATA_DIR; back it up or set both',
    );
  }
  const policies = new TypeOrmPolicyVersionStore(infra.dataSource);
  return {
    keys,
    pseudonymise: storedPseudonymiser(infra.dataSource, keys.pseudonym),
    auditLog: new TypeOrmAuditLog(infra.dataSource),
    auditBrowser: new TypeOrmAuditLogBrowser(infra.dataSource),
    pupils: new TypeOrmPupilRegistry(infra.dataSource, keys.pupilData),
    roster: new TypeOrmPupilRosterStore(infra.dataSource, keys.pupilData),
    boards: new TypeOrmBoardSettingsStore(infra.dataSource),
    disclosures: new TypeOrmDisclosureStore(infra.dataSource),
    policies,
    retention: new TypeOrmRetentionStore(infra.dataSource),
    retentionRecords: new TypeOrmRetentionRecords(infra.dataSource),
    engine,
    resolver: new PolicyResolver(policies, engine, defaultPolicyText),
    retentionHooks: [signalRetentionHook(infra.dataSource), reportDraftRetentionHook(infra.dataSource)],
  };
}

/** Other stores (signals, report drafts) register here to take part in retention. */
export const RETENTION_HOOKS: RetentionHook[] = [];

/**
 * Runs the retention job every RETENTION_INTERVAL_MS (default daily), first run one interval after start.
 * A failed run is logged (no personal data) and retried at the next tick.
 */
export class RetentionSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  readonly job: RunRetentionUseCase;

  constructor(
    services: PrivacyServices,
    infra: Pick<ProcessContext, 'clock'>,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    hooks: readonly RetentionHook[] = [...RETENTION_HOOKS, ...services.retentionHooks],
  ) {
    this.job = new RunRetentionUseCase(
      services.retention,
      services.resolver,
      services.engine,
      infra.clock,
      randomUUID,
      hooks,
    );
  }

  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (!this.running) void this.runNow().catch(() => undefined);
    }, this.intervalMs);
    this.timer.unref();
  }

  async runNow(): Promise<RetentionRunResult> {
    const run = this.job.execute();
    this.running = run;
    try {
      const result = await run;
      const deleted = result.boards.reduce(
        (sum, b) => sum + Object.values(b.deleted).reduce((a, n) => a + n, 0),
        0,
      );
      this.logger.info({ runId: result.runId, boards: result.boards.length, deleted }, 'retention run done');
      return result;
    } catch (error) {
      this.logger.error({ err: safeError(error) }, 'retention run failed');
      throw error;
    } finally {
      this.running = null;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
