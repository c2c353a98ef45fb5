import { csvAdapter } from '#adapter-csv';
import { eduarteAdapter } from '#adapter-eduarte';
import { magisterAdapter } from '#adapter-magister';
import { magisterMwsAdapter } from '#adapter-magister-mws';
import { osoAdapter } from '#adapter-oso';
import { somtodayAdapter } from '#adapter-somtoday';
import { somtodayOverzichtAdapter } from '#adapter-somtoday-overzicht';
import { zermeloAdapter } from '#adapter-zermelo';
import { SOURCE_SYSTEMS, type SourceAdapter, type SourceSystemId, ValidationError } from '#domain';

/** One line per school system: adding a system is one new adapter folder and one line here. */
const ADAPTERS: readonly SourceAdapter[] = [
  magisterAdapter,
  magisterMwsAdapter,
  somtodayAdapter,
  somtodayOverzichtAdapter,
  eduarteAdapter,
  zermeloAdapter,
  osoAdapter,
  csvAdapter,
];

export const ADAPTER_REGISTRY: ReadonlyMap<SourceSystemId, SourceAdapter> = new Map(
  ADAPTERS.map((adapter) => [adapter.system, adapter]),
);

/** The adapter for a system id, or a coded error listing the known ids. */
export function adapterFor(system: string): SourceAdapter {
  const adapter = ADAPTER_REGISTRY.get(system as SourceSystemId);
  if (!adapter) {
    throw new ValidationError(
      'UNKNOWN_SYSTEM',
      `unknown system "${system}"; known systems: ${SOURCE_SYSTEMS.join(', ')}`,
      [{ field: 'system', code: 'UNKNOWN_SYSTEM', message: `known systems: ${SOURCE_SYSTEMS.join(', ')}` }],
    );
  }
  return adapter;
}
