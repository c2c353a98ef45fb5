import {
  type Actor,
  type Clock,
  type Decision,
  type DisclosureRequest,
  NotFoundError,
  type PolicyEngine,
  type PupilRegistry,
  ValidationError,
  requireBoardScope,
  requireRole,
} from '#domain';
import { parseDisclosureRequest } from '#privacy';
import type { PolicyResolver, PolicySourceKind } from '../privacy-engine/index.js';
import type { RecordDisclosureUseCase } from '../record-disclosure/index.js';
import { DECIDE_DISCLOSURE_ERRORS } from './decide-disclosure-error-codes.js';

/** The decision of contracts §6, with where its policy came from and the id of the stored request. */
export interface DecisionResponse extends Omit<Decision, 'policy'> {
  readonly policy: { readonly id: string; readonly version: string; readonly source: PolicySourceKind };
  readonly requestId: string;
}

/**
 * Decides a disclosure request (contracts §6) for the caller's board under the policy in force at that
 * moment (the board's approved version, else the shipped default) and records it: the request pseudonymised
 * (field names, no values) and a DECISION entry in the audit chain, in one transaction. Nothing is sent
 * here; a connector that sends records the DISCLOSURE.
 *
 * Who may ask: school staff and integration clients of the board (they prepare what leaves the school) and
 * the board's privacy officer. An optional `pupil.localId` names the pupil for the stored pseudonym (school
 * staff: a pupil outside their schools is not found); the decision never looks at it.
 */
export class DecideDisclosureUseCase {
  constructor(
    private readonly resolver: PolicyResolver,
    private readonly engine: PolicyEngine,
    private readonly record: RecordDisclosureUseCase,
    private readonly pupils: PupilRegistry,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, command: DisclosureDecisionCommand): Promise<DecisionResponse> {
    const board = deciderBoard(actor);
    const { request, pupilLocalId: localId } = command;
    // ADR 0017: a number names a pupil of the caller's own schools; another school's child with the same number
    // is another pupil, never found (and never hinted at) from here.
    const pupil =
      localId === null
        ? null
        : await this.pupils.find(
            actor.role === 'privacy_officer' ? { board, schools: null } : requireBoardScope(actor, 'write'),
            localId,
          );
    // School staff and systems decide about their own registered pupils: an unknown number and another school's
    // child answer the same 404 (no probing).
    if (localId !== null && pupil === null && actor.role !== 'privacy_officer') {
      throw new NotFoundError(DECIDE_DISCLOSURE_ERRORS.PUPIL_NOT_FOUND, 'No such pupil in your schools');
    }
    const pupilSchool = pupil?.school ?? null;
    const at = this.clock.now();
    const policy = await this.resolver.inForce(board, at);
    const decision = this.engine.decide(policy.text, request, at);
    const { requestId } = await this.record.execute({
      board,
      pupilLocalId: localId,
      pupilSchool,
      request,
      decision,
      sent: false,
    });
    return { ...decision, policy: { ...decision.policy, source: policy.source }, requestId };
  }
}

function deciderBoard(actor: Actor): string {
  requireRole(
    actor,
    ['school_staff', 'integration_client', 'privacy_officer'],
    `Role ${actor.role} may not ask for disclosure decisions`,
  );
  return actor.board;
}

/** A disclosure request (contracts §6) and the pupil it names for the store, if any. */
export interface DisclosureDecisionCommand {
  readonly request: DisclosureRequest;
  readonly pupilLocalId: string | null;
}

/** A decision body: the §6 request and an optional `pupil.localId`; else `DISCLOSURE_REQUEST_INVALID`. */
export function parseDisclosureDecisionCommand(body: unknown): DisclosureDecisionCommand {
  const parsed = parseDisclosureRequest(body);
  const localId = pupilLocalIdOf(body);
  if (!parsed.ok || localId === false) {
    const issues = [
      ...(parsed.ok ? [] : parsed.issues),
      ...(localId === false
        ? [
            {
              field: 'pupil.localId',
              code: DECIDE_DISCLOSURE_ERRORS.INVALID_TYPE,
              message: 'pupil.localId must be a non-empty string when present',
            },
          ]
        : []),
    ];
    throw new ValidationError(
      DECIDE_DISCLOSURE_ERRORS.DISCLOSURE_REQUEST_INVALID,
      'The disclosure request was refused',
      issues,
    );
  }
  return { request: parsed.value, pupilLocalId: localId };
}

/** null when absent, false when present but not a usable id. */
function pupilLocalIdOf(body: unknown): string | null | false {
  if (typeof body !== 'object' || body === null) return null;
  const pupil = (body as Record<string, unknown>)['pupil'];
  if (typeof pupil !== 'object' || pupil === null) return null;
  const localId = (pupil as Record<string, unknown>)['localId'];
  if (localId === undefined) return null;
  return typeof localId === 'string' && localId.length > 0 && localId.length <= 200 ? localId : false;
}
