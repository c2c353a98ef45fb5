import { PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { NormalisePayloadUseCase } from '#application';
import { adapterFor } from '#runtime';
import { magisterPayload, somtodayPayload } from './generate-payloads.js';

/** Items per generated payload: a large page; the reference parses the very same payloads. */
const PART = 20_000;

export type NormaliseBenchSystem = 'somtoday' | 'magister';

/** A full collection before each timed phase, so neither phase pays for the other's (or the generator's) garbage. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return gc;
}

/** Milliseconds spent in garbage collection while `run` runs (the observer reports after a tick). */
async function timed(run: () => number): Promise<{ seconds: number; count: number; gcMs: number }> {
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  const started = process.hrtime.bigint();
  const count = run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  return { seconds, count, gcMs: Math.round(gcMs) };
}

/**
 * Parse + normalise throughput on one core for generated payloads in the system's own JSON shape, with
 * JSON.parse of the same payloads (the least any adapter must do) as the engine limit, measured in this run.
 */
export async function benchNormalise(system: NormaliseBenchSystem, records: number) {
  const generate = system === 'somtoday' ? somtodayPayload : magisterPayload;
  const parts: string[] = [];
  for (let done = 0, seed = 1; done < records; done += PART, seed++)
    parts.push(generate(Math.min(PART, records - done), seed));
  const bytes = parts.reduce((sum, c) => sum + c.length, 0);
  const gc = collector();

  gc();
  const parse = await timed(() => {
    let items = 0;
    for (const part of parts) {
      const parsed = JSON.parse(part) as { items?: unknown[]; Items?: unknown[] };
      items += (parsed.items ?? parsed.Items ?? []).length;
    }
    return items;
  });

  const adapter = adapterFor(system);
  const useCase = new NormalisePayloadUseCase();
  let quarantined = 0;
  gc();
  const normalise = await timed(() => {
    let produced = 0;
    for (const part of parts) {
      const result = useCase.execute({
        adapter,
        payload: part,
        mapping: null,
        timetable: null,
        bellSchedule: null,
      });
      produced += result.records.length;
      quarantined += result.quarantined.length;
    }
    return produced;
  });

  const recordsPerSecond = Math.round(records / normalise.seconds);
  const engineLimitRecordsPerSecond = Math.round(parse.count / parse.seconds);
  return {
    scenario: 'normalise',
    records,
    seconds: round(normalise.seconds),
    recordsPerSecond,
    engineLimitRecordsPerSecond,
    ratio: round(recordsPerSecond / engineLimitRecordsPerSecond),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    mode: 'one core, in-process',
    system,
    payloadMb: Math.round(bytes / 1e6),
    payloadItems: PART,
    canonicalRecords: normalise.count,
    quarantined,
    gcMs: normalise.gcMs,
    engineLimitGcMs: parse.gcMs,
  };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
