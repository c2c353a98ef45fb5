// The records of one normalise call while they are built, why a record is rejected, and the quarantine it goes to.
import type { CanonicalRecord, QuarantineReason, QuarantinedInput, SourceRecord } from '#domain';
import type { Categorisation } from './categorise.js';
import { NORMALISATION_ERRORS } from './normalisation-error-codes.js';

export interface NormaliseOutput {
  /** Sorted by recordId. */
  readonly records: CanonicalRecord[];
  /** Records and lessons that could not be used, each with a coded reason; sorted by system, id, reason. */
  readonly quarantined: QuarantinedInput[];
}

export type Categorised = Extract<Categorisation, { outcome: 'category' }>;

/** A canonical record while the batch is built: its `explainedBy` is set once every report is known. */
export type Draft = { -readonly [K in keyof CanonicalRecord]: CanonicalRecord[K] };

/**
 * The records of a batch as they are built, and beside each — in parallel arrays rather than an object per
 * record, because a batch can hold hundreds of thousands — what linking and de-duplication need: the source
 * item, the school-local day and the times as instants.
 */
export class Drafts {
  readonly records: Draft[] = [];
  readonly sources: SourceRecord[] = [];
  readonly days: number[] = [];
  /** Instants as plain doubles, NaN for none: an array of numbers only holds them unboxed (no object each). */
  private readonly startValues: number[] = [];
  private readonly endValues: number[] = [];

  add(source: SourceRecord, day: number, startMs: number | null, endMs: number | null, record: Draft): void {
    this.records.push(record);
    this.sources.push(source);
    this.days.push(day);
    this.startValues.push(startMs === null ? Number.NaN : startMs);
    this.endValues.push(endMs === null ? Number.NaN : endMs);
  }

  start(i: number): number | null {
    const ms = this.startValues[i];
    return ms === ms ? ms : null;
  }

  end(i: number): number | null {
    const ms = this.endValues[i];
    return ms === ms ? ms : null;
  }

  get size(): number {
    return this.records.length;
  }
}

/** Why a record cannot be placed: returned, never thrown, and turned into a quarantined input. */
export class Rejection {
  constructor(
    readonly reason: QuarantineReason,
    readonly detail: string,
  ) {}
}

export const impossible = (detail: string): Rejection =>
  new Rejection(NORMALISATION_ERRORS.IMPOSSIBLE_TIME, detail);

/** A rejected source record as a quarantined input: the item itself is `raw`, the detail names a field. */
export function quarantine(record: SourceRecord, reason: QuarantineReason, detail: string): QuarantinedInput {
  return {
    quarantined: true,
    sourceSystem: record.sourceSystem,
    sourceId: record.sourceId,
    reason,
    detail,
    raw: record,
  };
}

/** The order of quarantined inputs in every output: system, id, reason, detail, then the raw item's text. */
export function compareQuarantined(a: QuarantinedInput, b: QuarantinedInput): number {
  const ka = `${a.sourceSystem}\u0000${a.sourceId ?? ''}\u0000${a.reason}\u0000${a.detail}`;
  const kb = `${b.sourceSystem}\u0000${b.sourceId ?? ''}\u0000${b.reason}\u0000${b.detail}`;
  if (ka !== kb) return ka < kb ? -1 : 1;
  const ra = JSON.stringify(a.raw) ?? '';
  const rb = JSON.stringify(b.raw) ?? '';
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}
