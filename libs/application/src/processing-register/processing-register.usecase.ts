import {
  type Actor,
  type Clock,
  type ControllerDetails,
  DomainError,
  type RegisterFacts,
  ValidationError,
  requireRole,
} from '#domain';
import {
  type ControllerRegister,
  type ProcessorRegister,
  type RegisterSource,
  type SourceChannel,
  controllerRegister,
  parsePolicy,
  processorRegister,
} from '#privacy';
import type { PolicyResolver } from '../privacy-engine/policy-in-force.js';
import { readerBoard } from '../retention-overview/retention-overview.usecase.js';
import { PROCESSING_REGISTER_ERRORS } from './processing-register-error-codes.js';

export const REGISTER_KINDS = ['controller', 'processor'] as const;
export type RegisterKind = (typeof REGISTER_KINDS)[number];

/** What the deployment's configuration says, read once at start (ADR 0025). */
export interface RegisterConfiguration {
  /** Configured pull sources (`PULL_SOURCES_FILE`): name, system, board and school only. */
  readonly pullSources: readonly {
    readonly system: string;
    readonly board: string;
    readonly school: string;
  }[];
  /** Regional bodies of the leerplicht routing table per recipient kind (names). */
  readonly routingBodies: Readonly<Record<string, readonly string[]>>;
  /** Who hosts ketenpoort (REGISTER_PROCESSOR_NAME / _CONTACT); null: not configured. */
  readonly processor: { readonly name: string | null; readonly contact: string | null };
}

export type ProcessingRegister = (ControllerRegister | ProcessorRegister) & {
  readonly generatedAt: string;
  readonly policySource: string;
};

/**
 * The verwerkingsregister (AVG art. 30, issue 15 item 7) of the caller's board, generated from what the
 * software is configured to do: the policy in force, the source systems that deliver (configured pull sources
 * and systems that delivered), the routing table and retention. Never typed in, so it cannot drift.
 */
export class ProcessingRegisterUseCase {
  constructor(
    private readonly facts: RegisterFacts,
    private readonly policies: Pick<PolicyResolver, 'inForce' | 'defaultPolicy'>,
    private readonly clock: Clock,
    private readonly config: RegisterConfiguration,
  ) {}

  async execute(actor: Actor, kind: unknown = 'controller'): Promise<ProcessingRegister> {
    const board = readerBoard(actor);
    if (typeof kind !== 'string' || !(REGISTER_KINDS as readonly string[]).includes(kind)) {
      throw new ValidationError(
        PROCESSING_REGISTER_ERRORS.REGISTER_KIND_INVALID,
        'kind is controller or processor',
        [
          {
            field: 'kind',
            code: PROCESSING_REGISTER_ERRORS.REGISTER_KIND_INVALID,
            message: 'controller or processor',
          },
        ],
      );
    }
    const now = this.clock.now();
    const inForce = await this.policies.inForce(board, now, { forDisclosure: false });
    const parsed = parsePolicy(inForce.text);
    if (!parsed.ok) {
      throw new DomainError(
        PROCESSING_REGISTER_ERRORS.STORED_POLICY_INVALID,
        'internal',
        'The policy in force cannot be read',
        parsed.issues,
      );
    }
    const details = await this.facts.controllerDetails(board);
    const controller = {
      name: details.name,
      contact: details.contact,
      privacyOfficer: details.privacyOfficer,
    };
    const meta = { generatedAt: now.toISOString(), policySource: inForce.source };
    if (kind === 'processor') {
      // A board's officer sees the processor's register as it concerns their board only (tenancy).
      return {
        ...processorRegister({ policy: parsed.value, processor: this.config.processor }, [
          { board, name: details.name, contact: details.contact },
        ]),
        ...meta,
      };
    }
    return {
      ...controllerRegister({
        policy: parsed.value,
        board,
        controller,
        processor: this.config.processor,
        sources: await this.sources(board),
        routing: this.config.routingBodies,
      }),
      ...meta,
    };
  }

  /**
   * The host's processor register (art. 30(2)) across every board of the installation, for the operator's CLI
   * (`ketenpoort register --kind processor`); never over HTTP, where a board sees only itself.
   */
  async processorForHost(): Promise<ProcessingRegister> {
    const now = this.clock.now();
    const inForce = this.policies.defaultPolicy;
    const parsed = parsePolicy(inForce.text);
    if (!parsed.ok) {
      throw new DomainError(
        PROCESSING_REGISTER_ERRORS.STORED_POLICY_INVALID,
        'internal',
        'The default policy cannot be read',
        parsed.issues,
      );
    }
    const controllers = [];
    for (const board of await this.facts.boards()) {
      const details = await this.facts.controllerDetails(board);
      controllers.push({ board, name: details.name, contact: details.contact });
    }
    return {
      ...processorRegister({ policy: parsed.value, processor: this.config.processor }, controllers),
      generatedAt: now.toISOString(),
      policySource: inForce.source,
    };
  }

  /** The board's name and contacts as filled in (privacy officer, auditor). */
  async controller(actor: Actor): Promise<ControllerDetails> {
    return this.facts.controllerDetails(readerBoard(actor));
  }

  /**
   * The privacy officer fills in what configuration cannot know: the board's name, contact details and how to
   * reach its FG. Each a text of at most 200 characters, or null / empty to clear; nothing else.
   */
  async putController(actor: Actor, details: ControllerDetailsChange): Promise<ControllerDetails> {
    requireRole(actor, ['privacy_officer'], 'Only a privacy officer fills in the register');
    return this.facts.saveControllerDetails(actor.board, details, actor.subject, this.clock.now());
  }

  /** Configured pull sources of the board, then systems that delivered, then the pupil registry. */
  private async sources(board: string): Promise<RegisterSource[]> {
    const bySystem = new Map<string, { channels: Set<SourceChannel>; schools: Set<string> }>();
    const add = (system: string, channel: SourceChannel, schools: readonly string[]): void => {
      const entry = bySystem.get(system) ?? { channels: new Set(), schools: new Set() };
      entry.channels.add(channel);
      schools.forEach((s) => entry.schools.add(s));
      bySystem.set(system, entry);
    };
    const pulled = new Set<string>();
    for (const source of this.config.pullSources) {
      if (source.board !== board) continue;
      add(source.system, 'pull', [source.school]);
      pulled.add(source.system);
    }
    for (const ingested of await this.facts.ingestedSystems(board)) {
      if (pulled.has(ingested.system)) add(ingested.system, 'pull', ingested.schools);
      else add(ingested.system, ingested.system === 'csv' ? 'file' : 'push', ingested.schools);
    }
    if (await this.facts.registeredPupils(board)) add('pupil-registry', 'push', []);
    return [...bySystem.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([system, e]) => ({ system, channels: [...e.channels].sort(), schools: [...e.schools].sort() }));
  }
}

/** What a privacy officer fills in for the register (`PUT /v1/privacy/register/controller`); null clears. */
export interface ControllerDetailsChange {
  readonly name: string | null;
  readonly contact: string | null;
  readonly privacyOfficer: string | null;
}

/**
 * A register-controller body: `name`, `contact`, `privacyOfficer`, each a text of at most 200 characters (trimmed)
 * or null / empty to clear, and nothing else; else `REGISTER_CONTROLLER_INVALID`.
 */
export function parseControllerDetailsChange(body: unknown): ControllerDetailsChange {
  const keys = ['name', 'contact', 'privacyOfficer'] as const;
  const invalid = (field: string, message: string) =>
    new ValidationError(PROCESSING_REGISTER_ERRORS.REGISTER_CONTROLLER_INVALID, 'The details were refused', [
      { field, code: PROCESSING_REGISTER_ERRORS.REGISTER_CONTROLLER_INVALID, message },
    ]);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('body', 'a JSON object');
  const value = body as Record<string, unknown>;
  const unknown = Object.keys(value).find((k) => !(keys as readonly string[]).includes(k));
  if (unknown !== undefined) throw invalid(unknown.slice(0, 64), 'not a field of the register');
  const details: Record<(typeof keys)[number], string | null> = {
    name: null,
    contact: null,
    privacyOfficer: null,
  };
  for (const key of keys) {
    const v = value[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || v.trim().length > 200)
      throw invalid(key, 'a text of at most 200 characters');
    details[key] = v.trim() === '' ? null : v.trim();
  }
  return details;
}
