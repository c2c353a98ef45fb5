import {
  type Clock,
  DEFAULT_RETENTION,
  type Decision,
  type DisclosureRequest,
  type DisclosureStore,
  type PolicyEngine,
  type Pseudonymise,
  type PseudonymisedRequest,
  parseRetentionPeriod,
  shiftByPeriod,
} from '#domain';
import type { PolicyResolver } from '../privacy-engine/index.js';

export interface RecordDisclosureCommand {
  readonly board: string;
  /** The pupil the request is about; without one the entry gets a one-off pseudonym linked to no pupil. */
  readonly pupilLocalId: string | null;
  /** The pupil's school, when known: with per-school identity it names which child of that number (ADR 0017). */
  readonly pupilSchool?: string | null;
  readonly request: DisclosureRequest;
  readonly decision: Decision;
  /** The released fields were actually sent to the recipient. */
  readonly sent: boolean;
  /**
   * e.g. "Leerplichtwet 1969 art. 21a"; when not given: an obligation `{ legalBasis }`, else what the deciding
   * policy names for the request's purpose.
   */
  readonly legalBasis?: string;
  /** The report or message id, never its content. */
  readonly reference?: string;
}

/**
 * Records a decision (and the disclosure, when sent): the request is kept pseudonymised for policy
 * simulation — the pupil id replaced by its HMAC pseudonym, the payload reduced to its field NAMES — and
 * DECISION / DISCLOSURE entries land in the audit chain in the same transaction.
 */
export class RecordDisclosureUseCase {
  constructor(
    private readonly disclosures: DisclosureStore,
    private readonly policies: PolicyResolver,
    private readonly engine: PolicyEngine,
    private readonly pseudonymise: Pseudonymise,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  async execute(
    command: RecordDisclosureCommand,
  ): Promise<{ requestId: string; auditSeqs: readonly number[] }> {
    const at = this.clock.now();
    const { request, decision } = command;
    const id = this.newId();
    const policyText = await this.policies.textOf(command.board, decision.policy.id, decision.policy.version);
    const retainedUntil = command.sent ? this.retainedUntil(command, policyText, at) : null;
    const pupilPseudonym = await this.pseudonymise(
      command.board,
      command.pupilLocalId ?? `anonymous:${id}`,
      command.pupilLocalId === null ? null : (command.pupilSchool ?? null),
    );
    const { auditSeqs } = await this.disclosures.record(
      {
        id,
        board: command.board,
        pupilPseudonym,
        request: pseudonymiseRequest(request),
        decision: {
          effect: decision.effect,
          released: [...decision.released],
          withheld: decision.withheld.map((w) => ({ field: w.field, rule: w.rule })),
          determinedBy: [...decision.determinedBy],
          policy: { id: decision.policy.id, version: decision.policy.version },
        },
        sent: command.sent,
        legalBasis: command.legalBasis ?? this.legalBasisOf(decision, request.purpose, policyText),
        retainedUntil,
        reference: command.reference ?? null,
      },
      at,
    );
    return { requestId: id, auditSeqs };
  }

  /**
   * Until when the disclosed data is kept: the retention obligation of the decision (the permitting rules'
   * shortest), else the deciding policy's period for disclosure requests to the recipient, else the default.
   */
  private retainedUntil(command: RecordDisclosureCommand, policyText: string | null, at: Date): string {
    const candidates: (() => unknown)[] = [
      () => command.decision.obligations.find((o) => o.kind === 'retention')?.['period'],
      () =>
        policyText === null
          ? undefined
          : this.engine.retentionPeriod(policyText, 'disclosure_request', {
              recipient: command.request.recipient.kind,
            }),
    ];
    let period = DEFAULT_RETENTION['disclosure_request'];
    for (const candidate of candidates) {
      try {
        const value = candidate();
        if (typeof value !== 'string') continue;
        parseRetentionPeriod(value);
        period = value;
        break;
      } catch {
        // an unusable answer falls through to the next source
      }
    }
    return shiftByPeriod(at, period).toISOString().slice(0, 10);
  }

  private legalBasisOf(decision: Decision, purpose: string, policyText: string | null): string | null {
    for (const obligation of decision.obligations) {
      if (typeof obligation['legalBasis'] === 'string') return obligation['legalBasis'];
    }
    if (decision.effect !== 'permit' || policyText === null) return null;
    try {
      return this.engine.legalBasis(policyText, purpose);
    } catch {
      return null;
    }
  }
}

/** Drops every payload value: what remains are references, field names and the facts a policy decides on. */
export function pseudonymiseRequest(request: DisclosureRequest): PseudonymisedRequest {
  return {
    recipient:
      request.recipient.id === undefined
        ? { kind: request.recipient.kind }
        : { kind: request.recipient.kind, id: request.recipient.id },
    purpose: request.purpose,
    ...(request.reportKind !== undefined ? { reportKind: request.reportKind } : {}),
    pupil: {
      ageAtDate: request.pupil.ageAtDate,
      ...(request.pupil.consent !== undefined
        ? {
            consent: typeof request.pupil.consent.jgz === 'boolean' ? { jgz: request.pupil.consent.jgz } : {},
          }
        : {}),
    },
    ...(request.categories !== undefined ? { categories: [...request.categories] } : {}),
    fields: Object.keys(request.payload).sort(),
  };
}

/** The request as the engine sees it again (simulation): every field present, every value null. */
export function requestFromPseudonymised(stored: PseudonymisedRequest): DisclosureRequest {
  return {
    recipient: stored.recipient,
    purpose: stored.purpose,
    ...(stored.reportKind !== undefined
      ? { reportKind: stored.reportKind as DisclosureRequest['reportKind'] }
      : {}),
    pupil: stored.pupil,
    ...(stored.categories !== undefined ? { categories: stored.categories } : {}),
    payload: Object.fromEntries(stored.fields.map((field) => [field, null])),
  };
}
