import {
  type Clock,
  DEFAULT_RETENTION,
  type Decision,
  type DisclosureRequest,
  type DisclosureStore,
  type PolicyEngine,
  type PolicyVersionStore,
  type Pseudonymise,
  type PseudonymisedRequest,
  shiftByPeriod,
} from '#domain';

export interface RecordDisclosureCommand {
  readonly board: string;
  readonly pupilLocalId: string;
  readonly request: DisclosureRequest;
  readonly decision: Decision;
  /** The released fields were actually sent to the recipient. */
  readonly sent: boolean;
  /** e.g. "Leerplichtwet 1969 art. 21a"; taken from an obligation `{ legalBasis }` when not given. */
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
    private readonly policies: PolicyVersionStore,
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
    const retainedUntil = command.sent ? await this.retainedUntil(command, at) : null;
    const { auditSeqs } = await this.disclosures.record(
      {
        id,
        board: command.board,
        pupilPseudonym: this.pseudonymise(command.board, command.pupilLocalId),
        request: pseudonymiseRequest(request),
        decision: {
          effect: decision.effect,
          released: [...decision.released],
          withheld: decision.withheld.map((w) => ({ field: w.field, rule: w.rule })),
          determinedBy: [...decision.determinedBy],
          policy: { id: decision.policy.id, version: decision.policy.version },
        },
        sent: command.sent,
        legalBasis: command.legalBasis ?? legalBasisOf(decision),
        retainedUntil,
        reference: command.reference ?? null,
      },
      at,
    );
    return { requestId: id, auditSeqs };
  }

  /** Until when the disclosed data is kept, by the deciding policy version (default when it is not stored here). */
  private async retainedUntil(command: RecordDisclosureCommand, at: Date): Promise<string> {
    const policy = await this.policies.get(
      command.board,
      command.decision.policy.id,
      command.decision.policy.version,
    );
    let period = DEFAULT_RETENTION['disclosure_request'];
    if (policy) {
      try {
        period = this.engine.retentionPeriod(policy.text, 'disclosure_request', {
          recipient: command.request.recipient.kind,
        });
        shiftByPeriod(at, period);
      } catch {
        period = DEFAULT_RETENTION['disclosure_request']!;
      }
    }
    return shiftByPeriod(at, period).toISOString().slice(0, 10);
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
      ...(request.pupil.consent !== undefined ? { consent: { ...request.pupil.consent } } : {}),
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

function legalBasisOf(decision: Decision): string | null {
  for (const obligation of decision.obligations) {
    if (typeof obligation['legalBasis'] === 'string') return obligation['legalBasis'];
  }
  return null;
}
