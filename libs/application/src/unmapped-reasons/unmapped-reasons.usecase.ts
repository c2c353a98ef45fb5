import {
  type Actor,
  type QuarantineRepository,
  type SourceRecord,
  type SourceSystemId,
  requireBoardScope,
} from '#domain';
import { requireKnownSystem } from '../ingest-payload/index.js';

/** One school-defined reason code that no mapping covers yet, with how many records wait for it. */
export interface UnmappedReason {
  readonly school: string | null;
  readonly system: SourceSystemId;
  /** The school's own code (Magister `Code`, SOMtoday `afkorting`), or null when the record had none. */
  readonly reasonCode: string | null;
  readonly count: number;
  /** A few of the waiting records by their source id and date (no pupil data). */
  readonly examples: readonly { readonly sourceId: string; readonly date: string | null }[];
}

const EXAMPLES = 3;
const SCAN_LIMIT = 10_000;

/**
 * The quarantine as a school's to-do list: records waiting for a reason mapping, grouped per school, system and
 * reason code with counts and examples, so one mapping entry resolves a whole group.
 */
export class UnmappedReasonsUseCase {
  constructor(private readonly quarantine: Pick<QuarantineRepository, 'listOpen' | 'rawOf'>) {}

  async execute(
    actor: Actor,
    filter: { system?: string; school?: string },
  ): Promise<{ items: UnmappedReason[] }> {
    const scope = requireBoardScope(actor, 'read');
    const system = filter.system === undefined ? undefined : requireKnownSystem(filter.system);
    const entries = await this.quarantine.listOpen(
      scope,
      { system, school: filter.school, reason: 'UNMAPPED_REASON' },
      SCAN_LIMIT,
    );
    const raws = new Map(
      (
        await this.quarantine.rawOf(
          scope,
          entries.map((e) => e.id),
        )
      ).map((r) => [r.id, r.raw]),
    );
    const groups = new Map<
      string,
      {
        item: Omit<UnmappedReason, 'count' | 'examples'>;
        count: number;
        examples: UnmappedReason['examples'][number][];
      }
    >();
    for (const entry of entries) {
      const raw = raws.get(entry.id) as Partial<SourceRecord> | undefined;
      const reasonCode = typeof raw?.reasonCode === 'string' ? raw.reasonCode : null;
      const key = JSON.stringify([entry.school, entry.sourceSystem, reasonCode]);
      let group = groups.get(key);
      if (!group) {
        group = {
          item: { school: entry.school, system: entry.sourceSystem, reasonCode },
          count: 0,
          examples: [],
        };
        groups.set(key, group);
      }
      group.count += 1;
      if (group.examples.length < EXAMPLES && entry.sourceId !== null) {
        group.examples.push({
          sourceId: entry.sourceId,
          date: typeof raw?.date === 'string' ? raw.date : null,
        });
      }
    }
    const items = [...groups.values()]
      .map((g) => ({ ...g.item, count: g.count, examples: g.examples }))
      .sort((a, b) => b.count - a.count || String(a.reasonCode).localeCompare(String(b.reasonCode)));
    return { items };
  }
}
