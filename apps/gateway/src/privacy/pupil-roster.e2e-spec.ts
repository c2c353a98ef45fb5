import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

const corpus = fileURLToPath(new URL('../../../../../libs/adapters/parnassys/fixtures/', import.meta.url));
const somtoday = fileURLToPath(
  new URL('../../../../../libs/adapters/somtoday/fixtures/leerlingen-roster.json', import.meta.url),
);
const magisterMws = fileURLToPath(
  new URL('../../../../../libs/adapters/magister-mws/fixtures/leerlingen-roster.xml', import.meta.url),
);

/**
 * Roster data (ADR 0019): name, group and mentor stored encrypted on the pupil's row, found by name through
 * keyed hashes, read only by staff of the pupil's school, fed from PUT /v1/pupils or a school system's roster,
 * and never written to a log line. PGlite by default; PostgreSQL when DATABASE_URL is set.
 */
describe('gateway: roster data (names, groups, mentors)', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  let staff: string;
  let otherSchoolStaff: string;
  let officer: string;
  let leerplicht: string;
  let client: string;
  const logs: string[] = [];
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const pupil = {
    school: '99XX',
    birthDate: '2012-02-11',
    sector: 'vo',
    enrolledFrom: '2024-08-19',
  };
  const name = { roepnaam: 'Zoë', voornamen: 'Zoë Anna', tussenvoegsel: 'van der', achternaam: 'Proefsloot' };

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
    gateway = await startTestGateway({ logs: stream }, { LOG_LEVEL: 'trace' });
    http = request(gateway.app.getHttpServer());
    const board = `BOARD-${randomUUID().slice(0, 6)}`;
    staff = await gateway.issuer.issue({ role: 'school_staff', sub: 'staff-1', board, schools: ['99XX'] });
    otherSchoolStaff = await gateway.issuer.issue({
      role: 'school_staff',
      sub: 'staff-2',
      board,
      schools: ['98YY'],
    });
    officer = await gateway.issuer.issue({ role: 'privacy_officer', sub: 'fg-1', board });
    leerplicht = await gateway.issuer.issue({
      role: 'leerplicht_officer',
      sub: 'lp-1',
      municipalities: ['0344'],
    });
    client = await gateway.issuer.issue({
      role: 'integration_client',
      sub: 'parnassys-sync',
      board,
      school: '99XX',
      system: 'parnassys',
    });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it('stores name, group and mentor with PUT /v1/pupils, encrypted at rest; the answer carries no name', async () => {
    const created = await http
      .put('/v1/pupils/r-1')
      .set(auth(staff))
      .send({ ...pupil, name, group: '2B', mentor: 'M. Mentorsma' })
      .expect(201);
    assert.ok(!JSON.stringify(created.body).includes('Proefsloot'));
    const rows: Record<string, unknown>[] = await gateway.infra.dataSource.query(
      `SELECT * FROM pupil WHERE local_id = 'r-1'`,
    );
    const stored = JSON.stringify(rows);
    for (const value of ['Proefsloot', 'Zoë', 'Mentorsma', 'proefsloot'])
      assert.ok(!stored.includes(value), `${value} stored in clear`);
    assert.equal(rows[0]['roster_group'], '2B');
    assert.ok((rows[0]['roster_name_tokens'] as string[]).length > 5);
  });

  it('finds the pupil by name, accents and case folded, only for staff of the school', async () => {
    for (const q of ['proefsloot', 'zoe', 'Van der Proef', 'ZOË PR', 'r-1'.slice(0, 0) + 'van proefs']) {
      const found = await http.get('/v1/pupils/search').query({ q }).set(auth(staff)).expect(200);
      expect(found.body.items).toEqual([
        { school: '99XX', localId: 'r-1', displayName: 'Zoë van der Proefsloot', group: '2B' },
      ]); // q
    }
    const byNumber = await http.get('/v1/pupils/search').query({ q: 'r-1' }).set(auth(staff)).expect(200);
    expect(byNumber.body.items[0]).toEqual({
      school: '99XX',
      localId: 'r-1',
      displayName: 'Zoë van der Proefsloot',
      group: '2B',
    });
    const none = await http.get('/v1/pupils/search').query({ q: 'jansen' }).set(auth(staff)).expect(200);
    expect(none.body.items).toEqual([]);
    const other = await http
      .get('/v1/pupils/search')
      .query({ q: 'proefsloot' })
      .set(auth(otherSchoolStaff))
      .expect(200);
    expect(other.body.items).toEqual([]); // "another school's staff finds nothing"
    const named = await http
      .get('/v1/pupils/search')
      .query({ q: 'proefsloot', school: '98YY' })
      .set(auth(staff))
      .expect(200);
    expect(named.body.items).toEqual([]); // 'a school outside the scope is not searched'
    // A privacy officer searches the whole board (ADR 0024, audit-log.e2e-spec.ts); these roles never do.
    for (const token of [leerplicht, client]) {
      const refused = await http.get('/v1/pupils/search').query({ q: 'proefsloot' }).set(auth(token));
      assert.equal(refused.status, 403);
    }
  });

  it('refuses a query that is too short, too long or malformed with a coded 400', async () => {
    for (const query of [{ q: 'a' }, { q: '' }, {}, { q: 'x'.repeat(101) }, { q: 'de vr', school: 'nope' }]) {
      const refused = await http.get('/v1/pupils/search').query(query).set(auth(staff)).expect(400);
      assert.equal(refused.body.code, 'SEARCH_INVALID', JSON.stringify(query));
    }
  });

  it('refuses a name that is not one line of at most 100 characters, naming the field, never the value', async () => {
    for (const body of [
      { name: { achternaam: 'x'.repeat(101) } },
      { name: { achternaam: 'Regel\nbreuk' } },
      { name: { roepnaam: 'Alleen' } },
      { mentor: 'y'.repeat(150) },
    ]) {
      const refused = await http
        .put('/v1/pupils/r-2')
        .set(auth(staff))
        .send({ ...pupil, ...body });
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.ok(!JSON.stringify(refused.body).includes('Regel'));
    }
    const rows = await gateway.infra.dataSource.query(`SELECT 1 FROM pupil WHERE local_id = 'r-2'`);
    assert.equal(rows.length, 0, 'nothing stored');
  });

  it('a PUT without roster fields keeps them; one with any replaces all three', async () => {
    await http.put('/v1/pupils/r-1').set(auth(staff)).send(pupil).expect(200);
    const kept = await http.get('/v1/pupils/search').query({ q: 'proefsloot' }).set(auth(staff)).expect(200);
    assert.equal(kept.body.items[0].group, '2B');
    await http
      .put('/v1/pupils/r-1')
      .set(auth(staff))
      .send({ ...pupil, group: '3B' })
      .expect(200);
    const cleared = await http
      .get('/v1/pupils/search')
      .query({ q: 'proefsloot' })
      .set(auth(staff))
      .expect(200);
    expect(cleared.body.items).toEqual([]); // 'the name was cleared'
    await http
      .put('/v1/pupils/r-1')
      .set(auth(staff))
      .send({ ...pupil, name, group: '2B' })
      .expect(200);
  });

  it('feeds a ParnasSys roster: names on registered pupils, the others listed, unreadable items answered', async () => {
    for (const id of ['880001', '880003'])
      await http
        .put(`/v1/pupils/${id}`)
        .set(auth(client))
        .send({ ...pupil, sector: 'po' })
        .expect(201);
    const xml = readFileSync(`${corpus}ok/getleerlingen-names-and-teacher.xml`, 'utf8');
    const fed = await http
      .put('/v1/schools/99XX/roster/parnassys')
      .set(auth(client))
      .set('Content-Type', 'text/xml; charset=utf-8')
      .send(xml)
      .expect(200);
    expect(fed.body).toEqual({
      school: '99XX',
      system: 'parnassys',
      stored: 1,
      notRegistered: ['880002'],
      problems: [],
    });
    const found = await http
      .get('/v1/pupils/search')
      .query({ q: 'fenna voorbeeld' })
      .set(auth(staff))
      .expect(200);
    expect(found.body.items).toEqual([
      { school: '99XX', localId: '880001', displayName: "Fenna van 't Voorbeeldhof", group: 'Groep 4B' },
    ]);
    const bad = await http
      .put('/v1/schools/99XX/roster/parnassys')
      .set(auth(staff))
      .set('Content-Type', 'application/xml')
      .send(readFileSync(`${corpus}not-ok/missing-field.no-id.xml`, 'utf8'))
      .expect(200);
    expect(bad.body.problems).toEqual([
      { sourceId: null, reason: 'MISSING_FIELD', detail: 'leerlingen/leerling[0]/id is missing' },
    ]);
  });

  it('feeds a SOMtoday leerlingen list as JSON: name, stamgroep and mentor', async () => {
    await http
      .put('/v1/pupils/7730101')
      .set(auth(staff))
      .send({ ...pupil, sector: 'vo' })
      .expect(201);
    const fed = await http
      .put('/v1/schools/99XX/roster/somtoday')
      .set(auth(staff))
      .send(JSON.parse(readFileSync(somtoday, 'utf8')) as object)
      .expect(200);
    assert.equal(fed.body.stored, 1);
    expect(fed.body.notRegistered).toEqual(['7730102']);
    expect(fed.body.problems.map((p: { reason: string }) => p.reason)).toEqual([
      'MISSING_FIELD',
      'WRONG_TYPE',
    ]);
    const found = await http.get('/v1/pupils/search').query({ q: 'tess proef' }).set(auth(staff)).expect(200);
    expect(found.body.items).toEqual([
      { school: '99XX', localId: '7730101', displayName: 'Tess van Proefsma', group: '2havo-b' },
    ]);
    const xml = await http
      .put('/v1/schools/99XX/roster/somtoday')
      .set(auth(staff))
      .set('Content-Type', 'text/xml')
      .send('<a/>')
      .expect(415);
    assert.equal(xml.body.code, 'ROSTER_MEDIA_TYPE');
  });

  it('feeds a Magister MWS pupil list as XML: name, class and mentor per stamnr', async () => {
    for (const id of ['40117', '040118'])
      await http
        .put(`/v1/pupils/${id}`)
        .set(auth(staff))
        .send({ ...pupil, sector: 'vo' })
        .expect(201);
    const fed = await http
      .put('/v1/schools/99XX/roster/magister-mws')
      .set(auth(staff))
      .set('Content-Type', 'text/xml; charset=utf-8')
      .send(readFileSync(magisterMws, 'utf8'))
      .expect(200);
    expect(fed.body).toEqual({
      school: '99XX',
      system: 'magister-mws',
      stored: 2,
      notRegistered: ['40119'],
      problems: [
        { sourceId: null, reason: 'MISSING_FIELD', detail: 'row[3]/stamnr (pupil number) is missing' },
        { sourceId: null, reason: 'MALFORMED_PAYLOAD', detail: 'row[4] is an error row (Fout_nummer 1203)' },
        { sourceId: '40121', reason: 'WRONG_TYPE', detail: 'row[5]/achternaam is not text' },
      ],
    });
    const found = await http.get('/v1/pupils/search').query({ q: 'noor proef' }).set(auth(staff)).expect(200);
    expect(found.body.items).toEqual([
      { school: '99XX', localId: '40117', displayName: 'Noor van der Proefhoeve', group: '3VWO-A' },
    ]);
    const list = await http.get('/v1/schools/99XX/roster').set(auth(staff)).expect(200);
    const items = list.body.items as { localId: string }[];
    expect(items.filter((i) => ['40117', '040118'].includes(i.localId))).toEqual([
      { localId: '040118', displayName: 'Sem Testerink', group: '2H-B', mentor: null },
      {
        localId: '40117',
        displayName: 'Noor van der Proefhoeve',
        group: '3VWO-A',
        mentor: 'K. Lesmeester',
      },
    ]);
    const json = await http
      .put('/v1/schools/99XX/roster/magister-mws')
      .set(auth(staff))
      .send({ Response: { Result: 'True' } })
      .expect(415);
    assert.equal(json.body.code, 'ROSTER_MEDIA_TYPE');
    const hostile = await http
      .put('/v1/schools/99XX/roster/magister-mws')
      .set(auth(staff))
      .set('Content-Type', 'application/xml')
      .send('<!DOCTYPE Response [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]><Response>&x;</Response>')
      .expect(200);
    expect(hostile.body.problems).toEqual([
      {
        sourceId: null,
        reason: 'MALFORMED_PAYLOAD',
        detail: 'payload declares a DOCTYPE or ENTITY: refused',
      },
    ]);
    assert.equal(hostile.body.stored, 0);
    const other = await http
      .put('/v1/schools/98YY/roster/magister-mws')
      .set(auth(staff))
      .set('Content-Type', 'text/xml')
      .send(readFileSync(magisterMws, 'utf8'))
      .expect(403);
    assert.equal(other.body.code, 'SCHOOL_OUT_OF_SCOPE');
  });

  it('refuses a roster for another school, an unknown system, or not sent as XML, with coded errors', async () => {
    const xml = readFileSync(`${corpus}ok/getleerlingen-names-and-teacher.xml`, 'utf8');
    const other = await http
      .put('/v1/schools/98YY/roster/parnassys')
      .set(auth(staff))
      .set('Content-Type', 'text/xml')
      .send(xml)
      .expect(403);
    assert.equal(other.body.code, 'SCHOOL_OUT_OF_SCOPE');
    const unknown = await http
      .put('/v1/schools/99XX/roster/magister')
      .set(auth(staff))
      .set('Content-Type', 'text/xml')
      .send(xml)
      .expect(400);
    assert.equal(unknown.body.code, 'UNKNOWN_SYSTEM');
    const json = await http
      .put('/v1/schools/99XX/roster/parnassys')
      .set(auth(staff))
      .send({ leerlingen: [] })
      .expect(415);
    assert.equal(json.body.code, 'ROSTER_MEDIA_TYPE');
    const badBrin = await http
      .put('/v1/schools/nope/roster/parnassys')
      .set(auth(staff))
      .set('Content-Type', 'text/xml')
      .send(xml);
    assert.ok([400, 403].includes(badBrin.status), String(badBrin.status));
    const lp = await http
      .put('/v1/schools/99XX/roster/parnassys')
      .set(auth(leerplicht))
      .set('Content-Type', 'text/xml')
      .send(xml)
      .expect(403);
    assert.equal(lp.body.code, 'ROLE_NOT_ALLOWED');
  });

  it("lists the school's roster for list screens, to staff of that school only", async () => {
    const list = await http.get('/v1/schools/99XX/roster').set(auth(staff)).expect(200);
    const r1 = (list.body.items as { localId: string }[]).find((i) => i.localId === 'r-1');
    expect(r1).toEqual({
      localId: 'r-1',
      displayName: 'Zoë van der Proefsloot',
      group: '2B',
      mentor: null,
    });
    assert.ok(
      (list.body.items as { localId: string }[]).every((i) => i.localId !== '880003'),
      'a pupil without roster data is not listed',
    );
    const other = await http.get('/v1/schools/99XX/roster').set(auth(otherSchoolStaff)).expect(404);
    assert.equal(other.body.code, 'SCHOOL_NOT_FOUND');
    await http.get('/v1/schools/99XX/roster').set(auth(officer)).expect(403);
    await http.get('/v1/schools/99XX/roster').set(auth(client)).expect(403);
  });

  it('never hands a name, mentor or search query to the logger', () => {
    const text = logs.join('');
    assert.ok(text.length > 1000, 'the logger received lines at trace level');
    for (const value of [
      'Proefsloot',
      'proefsloot',
      'Zoë',
      'Mentorsma',
      'Voorbeeldhof',
      'voorbeeld',
      'Fenna',
      'Proefhuis',
      'Proefhoeve',
      'Lesmeester',
      'Testerink',
      'Nummerink',
      'Foutman',
    ])
      assert.ok(!text.includes(value), `${value} reached the log`);
  });
});
