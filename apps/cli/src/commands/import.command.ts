import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { IngestPayloadUseCase, type IngestResult } from '#application';
import { type Actor, isDomainError } from '#domain';
import {
  type DataSource,
  TypeOrmPupilDirectory,
  TypeOrmReasonMappingRepository,
  TypeOrmRecordBatchRepository,
  TypeOrmTimetableRepository,
} from '#persistence';
import { adapterFor, systemClock } from '#runtime';
import { openCliDatabase } from './cli-database.js';
import { UsageError, readChunks, writeJsonLines } from './read-input.js';

/** The ingest use case over a database: the same wiring as the gateway's (one code path). */
export function ingestUseCase(dataSource: DataSource): IngestPayloadUseCase {
  return new IngestPayloadUseCase(
    new TypeOrmRecordBatchRepository(dataSource),
    new TypeOrmReasonMappingRepository(dataSource),
    adapterFor,
    systemClock,
    randomUUID,
    new TypeOrmTimetableRepository(dataSource),
    new TypeOrmPupilDirectory(dataSource),
  );
}

/** The batch summary `import` prints. */
export function importSummary(result: IngestResult): object {
  return {
    batchId: result.batchId,
    records: result.recordCount,
    ...result.changes,
    quarantined: result.quarantinedCount,
    lessons: result.lessons,
    coverage: result.coverage,
    mapping: result.mapping,
  };
}

/**
 * `import --system <id> --input <file> --board <board> --school <brin> [--pupil <id>] [--from <date> --to <date>]`:
 * stores a school system's payload through the ingest use case the endpoint uses, as school staff of that school.
 */
export async function runImport(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      system: { type: 'string' },
      input: { type: 'string' },
      board: { type: 'string' },
      school: { type: 'string' },
      pupil: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
    },
  });
  if (!values.system || !values.input || !values.board || !values.school) {
    throw new UsageError('import needs --system <id> --input <file> --board <board> --school <brin>');
  }
  // Streamed: a large export is read, normalised and stored batch by batch, never held whole.
  const chunks = await readChunks(values.input, 'input');
  const actor: Actor = {
    role: 'school_staff',
    subject: 'cli-import',
    board: values.board,
    schools: [values.school],
  };
  const database = await openCliDatabase();
  try {
    const result = await ingestUseCase(database.dataSource).executeStream(
      {
        actor,
        system: values.system,
        school: values.school,
        pupil: values.pupil,
        from: values.from,
        to: values.to,
      },
      chunks,
    );
    process.stdout.write(JSON.stringify({ ...importSummary(result), mode: database.mode }) + '\n');
    writeJsonLines(
      process.stderr,
      result.quarantined.map((q) => ({ quarantined: true, ...q })),
    );
    return 0;
  } catch (error) {
    if (isDomainError(error) && error.kind === 'validation') {
      const issues = error.issues.map((i) => `${i.field}: ${i.message}`).join('; ');
      throw new UsageError(`${error.message}${issues ? ` (${issues})` : ''}`);
    }
    throw error;
  } finally {
    await database.close();
  }
}
