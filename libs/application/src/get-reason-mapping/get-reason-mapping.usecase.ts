import {
  type Actor,
  type ReasonMappingRepository,
  type StoredReasonMapping,
  requireBoardScope,
} from '#domain';
import { requireKnownSystem, resolveSchool } from '../ingest-payload/index.js';

/** The reason mapping a school publishes for one system, as stored (null: none yet, fallback categories apply). */
export class GetReasonMappingUseCase {
  constructor(private readonly mappings: Pick<ReasonMappingRepository, 'current'>) {}

  async execute(
    actor: Actor,
    system: string,
    school: string | undefined,
  ): Promise<{ mapping: StoredReasonMapping | null }> {
    const scope = requireBoardScope(actor, 'read');
    const known = requireKnownSystem(system);
    const brin = resolveSchool(actor, scope, school);
    return { mapping: await this.mappings.current(scope, brin, known) };
  }
}
