import { parseArgs } from 'node:util';
import type { PolicyEngine } from '#domain';
import type { ReleasedPayload } from '#privacy';
import { benchDecide } from '../bench/decide.bench.js';
import { runConsoleBench } from '../bench/console.bench.js';
import { runDispatchBench } from '../bench/dispatch.bench.js';
import { benchEvaluateCommand } from '../bench/evaluate.command-bench.js';
import { runIngestBench } from '../bench/ingest.bench.js';
import { runLoadBench } from '../bench/load.bench.js';
import { benchNormalise } from '../bench/normalise.bench.js';
import { UsageError } from './read-input.js';

export const BENCH_SCENARIOS = [
  'normalise',
  'ingest',
  'decide',
  'evaluate',
  'dispatch',
  'load',
  'console',
] as const;

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

/** `engine`: the CLI process's privacy engine (made by `main`), for the benches that open infrastructure. */
export async function runBench(
  args: readonly string[],
  engine: PolicyEngine<ReleasedPayload>,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: {
      records: { type: 'string' },
      system: { type: 'string' },
      pupils: { type: 'string' },
      period: { type: 'string' },
      depth: { type: 'string' },
      worker: { type: 'string' },
      profile: { type: 'string' },
      'think-ms': { type: 'string' },
    },
  });
  const scenario = positionals[0];
  if (scenario === 'ingest') return runIngestBench(values.records);
  if (scenario === 'evaluate') return benchEvaluateCommand(args);
  if (scenario === 'dispatch') return runDispatchBench(values.records, engine);
  if (scenario === 'console') {
    return runConsoleBench(values.pupils === undefined ? {} : { pupils: values.pupils });
  }
  if (scenario === 'load') {
    return runLoadBench({
      ...(values.period === undefined ? {} : { period: values.period }),
      ...(values.depth === undefined ? {} : { depth: values.depth }),
      ...(values.worker === undefined ? {} : { worker: values.worker }),
      ...(values.profile === undefined ? {} : { profile: values.profile }),
      ...(values['think-ms'] === undefined ? {} : { thinkMs: values['think-ms'] }),
    });
  }
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
