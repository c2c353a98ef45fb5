import { type Actor, type QuarantineEntry, type QuarantineRepository, requireBoardScope } from '#domain';
import { requireKnownSystem } from '../ingest-payload/index.js';

/** The school's work list: inputs that did not become records, and why. */
export class ListQuarantineUseCase {
  constructor(private readonly quarantine: QuarantineRepository) {}

  async execute(
    actor: Actor,
    filter: { system?: string; school?: string },
    limit = 100,
  ): Promise<{ items: QuarantineEntry[] }> {
    const scope = requireBoardScope(actor, 'read');
    const system = filter.system === undefined ? undefined : requireKnownSystem(filter.system);
    const bounded = Math.min(Math.max(Math.trunc(limit) || 100, 1), 1_000);
    return { items: await this.quarantine.listOpen(scope, { system, school: filter.school }, bounded) };
  }
}
