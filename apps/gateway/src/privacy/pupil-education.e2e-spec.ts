import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

/**
 * The pupil's enrolment facts DUO's report carries (leerjaar, niveau, leerweg; docs/duo-rod-message.md): the
 * school system sends them with the pupil, the registry keeps them, a replace without them clears them, and bad
 * values are refused with coded issues, storing nothing. PGlite by default; PostgreSQL when DATABASE_URL is set.
 */
describe('gateway: the pupil registry keeps leerjaar, niveau and leerweg', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  let staff: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const pupil = {
    school: '99XX',
    birthDate: '2010-02-11',
    sector: 'vo',
    woongemeente: '0344',
    enrolledFrom: '2022-08-22',
  };

  beforeAll(async () => {
    gateway = await startTestGateway();
    http = request(gateway.app.getHttpServer());
    const board = `BOARD-${randomUUID().slice(0, 6)}`;
    staff = await gateway.issuer.issue({ role: 'school_staff', sub: 'staff-1', board, schools: ['99XX'] });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it('stores them with the pupil and answers them back; a replace without them clears them', async () => {
    const created = await http
      .put('/v1/pupils/e-1')
      .set(auth(staff))
      .send({ ...pupil, education: { leerjaar: 3, leerweg: 'TL' } })
      .expect(201);
    expect(created.body.education).toEqual({ leerjaar: 3, leerweg: 'TL' });
    const mbo = await http
      .put('/v1/pupils/e-2')
      .set(auth(staff))
      .send({ ...pupil, sector: 'mbo', education: { niveau: 2, leerweg: 'BBL' } })
      .expect(201);
    expect(mbo.body.education).toEqual({ niveau: 2, leerweg: 'BBL' });
    const replaced = await http.put('/v1/pupils/e-1').set(auth(staff)).send(pupil).expect(200);
    assert.equal(replaced.body.education, undefined, 'PUT replaces: no education sent, none kept');
  });

  it('refuses a leerjaar, niveau or leerweg out of range with coded issues, storing nothing', async () => {
    for (const [education, field] of [
      [{ leerjaar: 7 }, 'education.leerjaar'],
      [{ leerjaar: 2.5 }, 'education.leerjaar'],
      [{ niveau: 0 }, 'education.niveau'],
      [{ leerweg: 'HAVO' }, 'education.leerweg'],
    ] as const) {
      const refused = await http
        .put('/v1/pupils/e-3')
        .set(auth(staff))
        .send({ ...pupil, education })
        .expect(400);
      assert.equal(refused.body.code, 'REQUEST_INVALID');
      assert.ok(
        refused.body.issues.some((i: { field: string }) => i.field === field),
        `${JSON.stringify(education)}: ${JSON.stringify(refused.body.issues)}`,
      );
    }
    const rows = await gateway.infra.dataSource.query(`SELECT 1 FROM pupil WHERE local_id = 'e-3'`);
    assert.equal(rows.length, 0);
  });
});
