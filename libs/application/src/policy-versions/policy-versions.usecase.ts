import {
  type Actor,
  type Clock,
  ForbiddenError,
  NotFoundError,
  type PolicyEngine,
  type PolicyVersion,
  type PolicyVersionStore,
  ValidationError,
} from '#domain';

const MAX_POLICY_TEXT = 256 * 1024;

/**
 * The policy lifecycle of privacy.md §1: a privacy officer drafts a version (validated by the engine), a
 * second privacy officer approves it, every version is kept, and the version in force at any moment can be
 * reconstructed.
 */
export class PolicyVersionsUseCase {
  constructor(
    private readonly policies: PolicyVersionStore,
    private readonly engine: PolicyEngine,
    private readonly clock: Clock,
  ) {}

  async createDraft(actor: Actor, text: unknown): Promise<PolicyVersion> {
    const board = officerBoard(actor);
    if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_POLICY_TEXT) {
      throw new ValidationError('POLICY_TEXT_MISSING', 'Send the policy text (YAML) as "text"', [
        {
          field: 'text',
          code: 'POLICY_TEXT_MISSING',
          message: `a non-empty string of at most ${MAX_POLICY_TEXT} characters`,
        },
      ]);
    }
    const validated = this.engine.validate(text);
    if (!validated.ok)
      throw new ValidationError(
        'POLICY_INVALID',
        'The policy was refused; nothing was stored',
        validated.issues,
      );
    const meta = validated.value;
    return this.policies.createDraft(
      {
        board,
        policyId: meta.id,
        version: meta.version,
        text,
        effectiveFrom: meta.effectiveFrom,
        effectiveUntil: meta.effectiveUntil ?? null,
        createdBy: actor.subject,
      },
      this.clock.now(),
    );
  }

  async list(actor: Actor, policyId: string): Promise<PolicyVersion[]> {
    return this.policies.list(officerBoard(actor), policyId);
  }

  async get(actor: Actor, policyId: string, version: string): Promise<PolicyVersion> {
    const found = await this.policies.get(officerBoard(actor), policyId, version);
    if (!found) throw new NotFoundError('POLICY_VERSION_NOT_FOUND', 'No such policy version');
    return found;
  }

  /** Four eyes: the store refuses an approval by the author (POLICY_FOUR_EYES) or of a non-draft (POLICY_NOT_DRAFT). */
  async approve(actor: Actor, policyId: string, version: string): Promise<PolicyVersion> {
    return this.policies.approve(officerBoard(actor), policyId, version, actor.subject, this.clock.now());
  }

  async effectiveAt(actor: Actor, policyId: string, at: string | undefined): Promise<PolicyVersion> {
    const moment = at === undefined ? this.clock.now() : parseMoment(at);
    const found = await this.policies.effectiveAt(officerBoard(actor), moment, policyId);
    if (!found)
      throw new NotFoundError(
        'NO_EFFECTIVE_POLICY',
        'No approved version of this policy is in force at that moment',
      );
    return found;
  }
}

export function officerBoard(actor: Actor): string {
  if (actor.role !== 'privacy_officer') {
    throw new ForbiddenError('ROLE_NOT_ALLOWED', 'Only a privacy officer manages privacy policies');
  }
  return actor.board;
}

/** `YYYY-MM-DD` (start of that day in Europe/Amsterdam is close enough: noon UTC lies inside it) or an ISO instant. */
function parseMoment(text: string): Date {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T12:00:00Z` : text;
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ValidationError('MOMENT_INVALID', 'at must be a date or an ISO 8601 instant', [
      { field: 'at', code: 'MOMENT_INVALID', message: 'e.g. 2026-03-01 or 2026-03-01T09:00:00+01:00' },
    ]);
  }
  return new Date(ms);
}
