import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { SubmitRecordBatchCommand, SubmitRecordBatchUseCase } from '#application';
import type { Actor, CanonicalRecord } from '#domain';
import type { Infrastructure } from '#runtime';
import { DEMO_BOARD, DEMO_SCHOOL } from '../auth/index.js';

const DEMO_RECORDS = fileURLToPath(new URL('../../../../../config/demo/records.json', import.meta.url));

/** Loads the demo school board's records once, through the same use case as the API. */
export async function seedDemoData(app: INestApplication, infra: Infrastructure): Promise<void> {
  const existing: { n: string }[] = await infra.dataSource.query(
    'SELECT count(*) AS n FROM record_batch WHERE board = $1',
    [DEMO_BOARD],
  );
  if (Number(existing[0]?.n ?? 0) > 0) return;
  const records = JSON.parse(await readFile(DEMO_RECORDS, 'utf8')) as CanonicalRecord[];
  const actor: Actor = {
    role: 'school_staff',
    subject: 'demo-loader',
    board: DEMO_BOARD,
    schools: [DEMO_SCHOOL],
  };
  const submitted = await app
    .get(SubmitRecordBatchUseCase)
    .execute(SubmitRecordBatchCommand.create(actor, records));
  infra.logger.info({ batchId: submitted.batchId, records: submitted.recordCount }, 'demo data loaded');
}
