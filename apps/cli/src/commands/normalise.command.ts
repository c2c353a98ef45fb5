import { parseArgs } from 'node:util';
import { NormalisePayloadUseCase } from '#application';
import { type QuarantinedInput, isDomainError } from '#domain';
import { parseBellSchedule, parseReasonMapping } from '#normalisation';
import { adapterFor } from '#runtime';
import { UsageError, readChunks, readStructured, readText, writeJsonLines } from './read-input.js';

/** What a quarantined input looks like on stderr: its reason and id, never the raw item. */
export function quarantineLine(item: QuarantinedInput): object {
  return {
    quarantined: true,
    sourceSystem: item.sourceSystem,
    sourceId: item.sourceId,
    reason: item.reason,
    detail: item.detail,
  };
}

export async function runNormalise(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      system: { type: 'string' },
      input: { type: 'string' },
      mapping: { type: 'string' },
      timetable: { type: 'string' },
      'timetable-system': { type: 'string' },
      'bell-schedule': { type: 'string' },
      pupil: { type: 'string' },
    },
  });
  if (!values.system || !values.input)
    throw new UsageError('normalise needs --system <id> and --input <file>');
  if (Boolean(values.timetable) !== Boolean(values['timetable-system'])) {
    throw new UsageError('--timetable and --timetable-system go together');
  }
  const adapter = lookup(values.system);
  // Read as a stream: a large payload is normalised batch by batch, never held whole (the output is the same).
  const chunks = await readChunks(values.input, 'input');

  let mapping = null;
  if (values.mapping) {
    const parsed = parseReasonMapping(await readStructured(values.mapping, 'mapping'));
    if (!parsed.ok) {
      throw new UsageError(
        `mapping ${values.mapping} is invalid: ${parsed.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      );
    }
    mapping = parsed.value;
  }
  let bellSchedule = null;
  if (values['bell-schedule']) {
    const parsed = parseBellSchedule(await readStructured(values['bell-schedule'], 'bell schedule'));
    if (!parsed.ok) {
      throw new UsageError(
        `bell schedule ${values['bell-schedule']} is invalid: ${parsed.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      );
    }
    bellSchedule = parsed.value;
  }
  const timetable =
    values.timetable && values['timetable-system']
      ? {
          adapter: lookup(values['timetable-system']),
          payload: await readText(values.timetable, 'timetable'),
        }
      : null;

  try {
    const parts = new NormalisePayloadUseCase().stream({
      adapter,
      chunks,
      mapping,
      timetable,
      bellSchedule,
      pupilId: values.pupil,
    });
    for await (const part of parts) {
      writeJsonLines(process.stdout, part.records);
      writeJsonLines(process.stderr, part.quarantined.map(quarantineLine));
    }
    return 0;
  } catch (error) {
    if (isDomainError(error) && error.kind === 'validation') throw new UsageError(error.message);
    throw error;
  }
}

export function lookup(system: string): ReturnType<typeof adapterFor> {
  try {
    return adapterFor(system);
  } catch (error) {
    if (isDomainError(error)) throw new UsageError(error.message);
    throw error;
  }
}
