import { parseArgs } from 'node:util';
import { NormalisePayloadUseCase } from '#application';
import { adapterFor } from '#runtime';
import { benchDecide } from '../bench/decide.bench.js';
import { benchEvaluateCommand } from '../bench/evaluate.command-bench.js';
import { magisterPayload, somtodayPayload } from '../bench/generate-payloads.js';
import { runIngestBench } from '../bench/ingest.bench.js';
import { UsageError } from './read-input.js';

export const BENCH_SCENARIOS = ['normalise', 'ingest', 'decide', 'evaluate'] as const;

/** Contracts §8. */
export interface BenchResult {
  readonly scenario: string;
  readonly records: number;
  readonly seconds: number;
  readonly recordsPerSecond: number;
  readonly engineLimitRecordsPerSecond: number;
  readonly ratio: number;
  readonly peakRssMb: number;
  readonly mode: string;
  readonly [extra: string]: unknown;
}

const CHUNK = 20_000;

export async function runBench(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: { records: { type: 'string' }, system: { type: 'string' }, pupils: { type: 'string' } },
  });
  const scenario = positionals[0];
  if (scenario === 'ingest') return runIngestBench(values.records);
  if (scenario === 'evaluate') return benchEvaluateCommand(args);
  if (!(BENCH_SCENARIOS as readonly (string | undefined)[]).includes(scenario)) {
    throw new UsageError(`unknown or missing scenario; available: ${BENCH_SCENARIOS.join(', ')}`);
  }
  const records = Number(values.records ?? 1_000_000);
  if (!Number.isInteger(records) || records < 1) throw new UsageError('--records must be a positive integer');
  if (scenario === 'decide') {
    process.stdout.write(
      JSON.stringify(await benchDecide(values.records === undefined ? 200_000 : records)) + '\n',
    );
    return 0;
  }
  const system = values.system ?? 'somtoday';
  if (system !== 'somtoday' && system !== 'magister')
    throw new UsageError('--system must be somtoday or magister');
  process.stdout.write(JSON.stringify(await benchNormalise(system, records)) + '\n');
  return 0;
}

/**
 * Parse + normalise throughput on one core for a generated payload in the system's own JSON shape, with
 * JSON.parse of the same payloads (the least any adapter must do) as the engine limit, measured in this run.
 */
async function benchNormalise(system: 'somtoday' | 'magister', records: number): Promise<BenchResult> {
  const generate = system === 'somtoday' ? somtodayPayload : magisterPayload;
  const chunks: string[] = [];
  for (let done = 0, seed = 1; done < records; done += CHUNK, seed++)
    chunks.push(generate(Math.min(CHUNK, records - done), seed));
  const bytes = chunks.reduce((sum, c) => sum + c.length, 0);
  await Promise.resolve();

  const parseStarted = process.hrtime.bigint();
  let parsedItems = 0;
  for (const chunk of chunks) {
    const parsed = JSON.parse(chunk) as { items?: unknown[]; Items?: unknown[] };
    parsedItems += (parsed.items ?? parsed.Items ?? []).length;
  }
  const parseSeconds = Number(process.hrtime.bigint() - parseStarted) / 1e9;

  const adapter = adapterFor(system);
  const useCase = new NormalisePayloadUseCase();
  const started = process.hrtime.bigint();
  let produced = 0;
  let quarantined = 0;
  for (const chunk of chunks) {
    const result = useCase.execute({
      adapter,
      payload: chunk,
      mapping: null,
      timetable: null,
      bellSchedule: null,
    });
    produced += result.records.length;
    quarantined += result.quarantined.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const recordsPerSecond = Math.round(records / seconds);
  const engineLimitRecordsPerSecond = Math.round(parsedItems / parseSeconds);
  return {
    scenario: 'normalise',
    records,
    seconds: round(seconds),
    recordsPerSecond,
    engineLimitRecordsPerSecond,
    ratio: round(recordsPerSecond / engineLimitRecordsPerSecond),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    mode: 'one core, in-process',
    system,
    payloadMb: Math.round(bytes / 1e6),
    canonicalRecords: produced,
    quarantined,
  };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
