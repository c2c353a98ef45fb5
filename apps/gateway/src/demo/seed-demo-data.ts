import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import {
  DecideDisclosureUseCase,
  PutPupilCommand,
  type PutPupilInput,
  PutPupilUseCase,
  PutSchoolCalendarUseCase,
  SubmitRecordBatchCommand,
  SubmitRecordBatchUseCase,
} from '#application';
import type { Actor, CanonicalRecord } from '#domain';
import type { Infrastructure } from '#runtime';
import { DEMO_BOARD, DEMO_SCHOOL } from '../auth/index.js';

const demoFile = (name: string): string =>
  fileURLToPath(new URL(`../../../../../config/demo/${name}`, import.meta.url));
const DEMO_RECORDS = demoFile('records.json');
const DEMO_PUPILS = demoFile('pupils.json');
const DEMO_DECISIONS = demoFile('decisions.json');
const DEMO_CALENDAR = demoFile('calendar.json');

/**
 * Loads the demo school board once, through the same use cases as the API: the school's calendar and the
 * synthetic pupils first, then the records, so the worker path (in-process) evaluates them with the rules
 * engine: demo-p-1001 misses 16 lesson hours within 4 school weeks (LPW_16H_4W) → an OPEN signal and a DRAFT
 * report, besides the daily-check signals of the other records.
 */
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
  const calendar = JSON.parse(await readFile(DEMO_CALENDAR, 'utf8')) as unknown;
  await app.get(PutSchoolCalendarUseCase).execute(actor, DEMO_SCHOOL, calendar);
  // Synthetic pupils (the BSN passes the elfproef but belongs to nobody) and two disclosure decisions, so the
  // privacy side has something to show: the audit log, what was withheld and why, the access report.
  const pupils = JSON.parse(await readFile(DEMO_PUPILS, 'utf8')) as (PutPupilInput & { localId: string })[];
  for (const { localId, ...facts } of pupils) {
    await app.get(PutPupilUseCase).execute(PutPupilCommand.create(actor, localId, facts));
  }
  const submitted = await app
    .get(SubmitRecordBatchUseCase)
    .execute(SubmitRecordBatchCommand.create(actor, records));
  const decisions = JSON.parse(await readFile(DEMO_DECISIONS, 'utf8')) as unknown[];
  for (const request of decisions) await app.get(DecideDisclosureUseCase).execute(actor, request);
  infra.logger.info(
    {
      batchId: submitted.batchId,
      records: submitted.recordCount,
      pupils: pupils.length,
      decisions: decisions.length,
    },
    'demo data loaded',
  );
}
