import { csvAdapter } from '#adapter-csv';
import { eduarteAdapter } from '#adapter-eduarte';
import { magisterAdapter } from '#adapter-magister';
import { magisterMwsAdapter, magisterMwsRosterReader } from '#adapter-magister-mws';
import { osoAdapter } from '#adapter-oso';
import { parnassysRosterReader } from '#adapter-parnassys';
import { somtodayAdapter, somtodayRosterReader } from '#adapter-somtoday';
import { somtodayOverzichtAdapter } from '#adapter-somtoday-overzicht';
import { zermeloAdapter } from '#adapter-zermelo';
import {
  type RosterReader,
  SOURCE_SYSTEMS,
  type SourceAdapter,
  type SourceSystemId,
  ValidationError,
} from '#domain';
import { RUNTIME_ERRORS } from './runtime-error-codes.js';

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
      RUNTIME_ERRORS.UNKNOWN_SYSTEM,
      `unknown system "${system}"; known systems: ${SOURCE_SYSTEMS.join(', ')}`,
      [
        {
          field: 'system',
          code: RUNTIME_ERRORS.UNKNOWN_SYSTEM,
          message: `known systems: ${SOURCE_SYSTEMS.join(', ')}`,
        },
      ],
    );
  }
  return adapter;
}

/** The school systems whose roster (names, groups, mentors) ketenpoort reads (ADR 0019). */
const ROSTER_READERS: ReadonlyMap<string, RosterReader> = new Map(
  [parnassysRosterReader, somtodayRosterReader, magisterMwsRosterReader].map((reader) => [
    reader.system,
    reader,
  ]),
);

/** The roster reader of a system, or a coded 400 listing the systems that have one. */
export function rosterReaderFor(system: string): RosterReader {
  const reader = ROSTER_READERS.get(system);
  if (!reader) {
    const known = [...ROSTER_READERS.keys()].join(', ');
    throw new ValidationError(
      RUNTIME_ERRORS.UNKNOWN_SYSTEM,
      `no roster reader for "${system}"; known: ${known}`,
      [{ field: 'system', code: RUNTIME_ERRORS.UNKNOWN_SYSTEM, message: `systems with a roster: ${known}` }],
    );
  }
  return reader;
}
