import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type request from 'supertest';
import type { Report } from '#domain';
import { SEPTEMBER_WEEK, truancyRecords, waitFor } from '#testing';

const SHARED = fileURLToPath(new URL('../../../../../../shared/fixtures/', import.meta.url));

/** A valid BSN (elfproef) for tests: never a real person's. */
export const TEST_BSN = '111222333';

export interface ApprovedReportInput {
  readonly http: ReturnType<typeof request>;
  readonly staffToken: string;
  readonly school: string;
  readonly localId: string;
  readonly woongemeente?: string;
  readonly birthDate?: string;
  /** Roster name (ADR 0019) put with the pupil; read by the dispatcher at send time (ADR 0027). */
  readonly name?: {
    readonly roepnaam?: string;
    readonly tussenvoegsel?: string;
    readonly achternaam: string;
  };
}

let calendarText: string | null = null;

/**
 * A school with the example calendar, a pupil with a BSN, 20 unauthorised lessons in a week (LPW_16H_4W) and
 * the draft that raises, approved by school staff: the way a real report reaches the dispatcher.
 */
export async function approvedReport(input: ApprovedReportInput): Promise<Report> {
  const draft = await draftReport(input);
  return approve(input, draft.id);
}

/** Staff approve a draft; the approval and its outbox event commit together. */
export async function approve(
  input: Pick<ApprovedReportInput, 'http' | 'staffToken'>,
  id: string,
): Promise<Report> {
  const approved = await input.http
    .post(`/v1/reports/${id}/approve`)
    .set({ Authorization: `Bearer ${input.staffToken}` })
    .expect(200);
  return approved.body as Report;
}

/** As `approvedReport`, up to the DRAFT (so a test can prepare the destination before approving). */
export async function draftReport(input: ApprovedReportInput): Promise<Report> {
  const auth = { Authorization: `Bearer ${input.staffToken}` };
  calendarText ??= await readFile(join(SHARED, 'calendars/example-school-2025-2026.json'), 'utf8');
  await input.http
    .put(`/v1/schools/${input.school}/calendar`)
    .set(auth)
    .send(JSON.parse(calendarText))
    .expect(200);
  await input.http
    .put(`/v1/pupils/${input.localId}`)
    .set(auth)
    .send({
      school: input.school,
      birthDate: input.birthDate ?? '2010-03-10',
      sector: 'vo',
      enrolledFrom: '2023-08-21',
      bsn: TEST_BSN,
      ...(input.woongemeente ? { woongemeente: input.woongemeente } : {}),
      ...(input.name ? { name: input.name } : {}),
    })
    .expect((res) => {
      if (res.status !== 200 && res.status !== 201) throw new Error(`pupil: ${res.status}`);
    });
  await input.http
    .post('/v1/records')
    .set(auth)
    .send({
      records: truancyRecords({
        localId: input.localId,
        school: input.school,
        vestiging: '01',
        prefix: input.localId,
        days: SEPTEMBER_WEEK,
      }),
    })
    .expect(202);
  return waitFor(
    async () =>
      (
        (await input.http.get(`/v1/schools/${input.school}/reports?status=DRAFT`).set(auth).expect(200)).body
          .items as Report[]
      ).find((r) => r.pupil.localId === input.localId),
    { what: `the draft of ${input.localId}`, timeoutMs: 20_000 },
  );
}
