import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import request from 'supertest';
import { NormalisePayloadUseCase } from '#application';
import type { CanonicalRecord } from '#domain';
import { parseBellSchedule } from '#normalisation';
import { type Infrastructure, adapterFor } from '#runtime';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

const SHARED = fileURLToPath(new URL('../../../../../../shared/fixtures/', import.meta.url));
const CLI = fileURLToPath(new URL('../../../cli/src/main.js', import.meta.url));
const run = promisify(execFile);

/**
 * The ingest store end to end: a timetable and a bell schedule stored per school are used when absence data
 * arrives later, giving the same records as `normalise --timetable --bell-schedule`; re-sending changes nothing;
 * `ketenpoort import` stores what the endpoint stores. PGlite by default; PostgreSQL when DATABASE_URL is set.
 */
describe('gateway: versioned ingest store, stored timetables and bell schedules, CLI import', () => {
  let gateway: TestGateway;
  let infra: Infrastructure;
  let http: ReturnType<typeof request>;
  let board: string;
  let staff: string;
  let calendar: unknown;
  let zermelo: string;
  let absences: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    infra = gateway.infra;
    http = request(gateway.app.getHttpServer());
    board = `BOARD-${randomUUID().slice(0, 6)}`;
    staff = await gateway.issuer.issue({ role: 'school_staff', sub: 'staff', board, schools: ['99XX'] });
    calendar = JSON.parse(await readFile(join(SHARED, 'calendars/example-school-2025-2026.json'), 'utf8'));
    zermelo = await readFile(join(SHARED, 'source-systems/zermelo-appointments.json'), 'utf8');
    absences = await readFile(join(SHARED, 'source-systems/magister-absenties.json'), 'utf8');
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const post = (path: string, body: string, token = staff) =>
    http
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(body);
  const storedOf = async (boardId: string, system: string): Promise<CanonicalRecord[]> =>
    (
      await infra.dataSource.query<{ payload: CanonicalRecord }[]>(
        `SELECT payload FROM canonical_record_json WHERE board = $1 AND source_system = $2 AND NOT deleted
         ORDER BY record_id`,
        [boardId, system],
      )
    ).map((r) => r.payload);

  it('stores a bell schedule per school and refuses an invalid one', async () => {
    const put = await http
      .put('/v1/schools/99XX/bell-schedule')
      .set('Authorization', `Bearer ${staff}`)
      .send(calendar as object)
      .expect(200);
    assert.equal(put.body.slots.length, 8);
    const got = await http
      .get('/v1/schools/99XX/bell-schedule')
      .set('Authorization', `Bearer ${staff}`)
      .expect(200);
    expect(got.body.slots[0]).toEqual({ lessonHour: 1, start: '08:30', end: '09:20' });
    const bad = await http
      .put('/v1/schools/99XX/bell-schedule')
      .set('Authorization', `Bearer ${staff}`)
      .send([{ lessonHour: 1, start: '09:00', end: '08:00' }])
      .expect(400);
    assert.equal(bad.body.code, 'BELL_SCHEDULE_INVALID');
    await http
      .put('/v1/schools/11AA/bell-schedule')
      .set('Authorization', `Bearer ${staff}`)
      .send(calendar as object)
      .expect(400);
  });

  it('measures absences ingested later against the stored timetable, exactly as the CLI does', async () => {
    const timetable = await post('/v1/ingest/zermelo?school=99XX', zermelo).expect(202);
    assert.equal(timetable.body.recordCount, 0);
    assert.ok(timetable.body.lessons.stored > 0);
    const res = await post('/v1/ingest/magister?school=99XX&pupil=4216', absences).expect(202);
    assert.ok(res.body.recordCount > 0);
    assert.equal(res.body.changes.created, res.body.recordCount);

    const bell = parseBellSchedule(calendar);
    assert.ok(bell.ok);
    const cli = new NormalisePayloadUseCase().execute({
      adapter: adapterFor('magister'),
      payload: absences,
      mapping: null,
      timetable: { adapter: adapterFor('zermelo'), payload: zermelo },
      bellSchedule: bell.value,
      pupilId: '4216',
    });
    const expected = cli.records.map((r) => ({
      ...r,
      school: { ...(r.school ?? {}), brin: r.school?.brin ?? '99XX' },
    }));
    const stored = await storedOf(board, 'magister');
    expect(stored).toEqual(expected);
    const bare = new NormalisePayloadUseCase().execute({
      adapter: adapterFor('magister'),
      payload: absences,
      mapping: null,
      timetable: null,
      bellSchedule: null,
      pupilId: '4216',
    });
    expect(stored.map((r) => [r.recordId, r.start, r.missedMinutes])).not.toEqual(
      bare.records.map((r) => [r.recordId, r.start, r.missedMinutes]),
    ); // 'the stored timetable and bell schedule give clock times the payload alone does not'

    const again = await post('/v1/ingest/magister?school=99XX&pupil=4216', absences).expect(202);
    assert.equal(again.body.status, 'PROCESSED');
    expect(again.body.changes).toEqual({
      created: 0,
      updated: 0,
      deleted: 0,
      unchanged: res.body.recordCount,
    });
    const events = await infra.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM outbox WHERE payload->>'batchId' = $1`,
      [again.body.batchId],
    );
    assert.equal(Number(events[0].n), 0, 'a batch that changes nothing emits no event');
  });

  it('deletes within a declared coverage only, and refuses a malformed coverage', async () => {
    const payload = JSON.parse(absences) as { Items: unknown[] };
    const fewer = JSON.stringify({ ...payload, Items: payload.Items.slice(1) });
    const before = (await storedOf(board, 'magister')).length;
    const noCoverage = await post('/v1/ingest/magister?school=99XX&pupil=4216', fewer).expect(202);
    assert.equal(noCoverage.body.changes.deleted, 0);
    const covered = await post(
      '/v1/ingest/magister?school=99XX&pupil=4216&from=2026-01-01&to=2026-01-31',
      fewer,
    ).expect(202);
    assert.ok(covered.body.changes.deleted > 0);
    assert.equal((await storedOf(board, 'magister')).length, before - covered.body.changes.deleted);
    const bad = await post('/v1/ingest/magister?school=99XX&pupil=4216&from=2026-01-31', fewer).expect(400);
    assert.equal(bad.body.code, 'COVERAGE_INVALID');
  });

  it('stores through `ketenpoort import` exactly what the endpoint stores for the same file', async () => {
    const file = join(SHARED, 'source-systems/somtoday-absentiemeldingen.json');
    const apiBoard = `API-${randomUUID().slice(0, 6)}`;
    const cliBoard = `CLI-${randomUUID().slice(0, 6)}`;
    const token = await gateway.issuer.issue({
      role: 'school_staff',
      sub: 's',
      board: apiBoard,
      schools: ['99XX'],
    });
    const api = await post('/v1/ingest/somtoday?school=99XX', await readFile(file, 'utf8'), token).expect(
      202,
    );
    const { stdout } = await run(
      process.execPath,
      [CLI, 'import', '--system', 'somtoday', '--input', file, '--board', cliBoard, '--school', '99XX'],
      { env: { ...process.env, DATABASE_URL: infra.databaseUrl, LOG_LEVEL: 'silent' } },
    );
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(summary['records'], api.body.recordCount);
    assert.equal(summary['created'], api.body.recordCount);
    assert.equal(summary['quarantined'], api.body.quarantinedCount);
    assert.equal(typeof summary['batchId'], 'string');
    const fromApi = await storedOf(apiBoard, 'somtoday');
    assert.ok(fromApi.length > 0);
    expect(await storedOf(cliBoard, 'somtoday')).toEqual(fromApi);
  });
});
