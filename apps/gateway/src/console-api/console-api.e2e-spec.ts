import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReportPreview, UnmappedReason } from '#application';
import type { Report } from '#domain';
import request from 'supertest';
import { DEMO_ACTOR_CLAIMS } from '../auth/index.js';
import { seedDemoData } from '../demo/seed-demo-data.js';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

const boardFile = (name: string): string =>
  fileURLToPath(new URL(`../../../../../config/demo/board/${name}`, import.meta.url));

/** The console's read endpoints over the demo board: the report preview, the mapping and the unmapped codes. */
describe('console API: report preview, reason mappings, unmapped codes', () => {
  let gateway: TestGateway;
  let staff: string;
  let draft: Report;

  beforeAll(async () => {
    gateway = await startTestGateway();
    await seedDemoData(gateway.app, gateway.infra);
    staff = `Bearer ${await gateway.issuer.issue(DEMO_ACTOR_CLAIMS.school_staff)}`;
    const deadline = Date.now() + 60_000;
    let drafts: Report[] = [];
    while (drafts.length === 0 && Date.now() < deadline) {
      const response = await request(gateway.app.getHttpServer())
        .get('/v1/schools/99XX/reports?status=DRAFT')
        .set('Authorization', staff);
      drafts = (response.body as { items: Report[] }).items ?? [];
      if (drafts.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    const found = drafts.find((d) => d.kind === '16U_MINDERJARIG');
    assert.ok(found, 'a 16-hour draft of the demo board');
    draft = found;
  });
  afterAll(async () => {
    await gateway.stop();
  });

  const auditCount = async (): Promise<number> => {
    const rows: { n: string }[] = await gateway.infra.dataSource.query(`SELECT count(*) AS n FROM audit_log`);
    return Number(rows[0]?.n ?? 0);
  };

  it('previews a draft exactly as the dispatcher would send it, without sending or recording anything', async () => {
    const before = await auditCount();
    const response = await request(gateway.app.getHttpServer())
      .get(`/v1/schools/99XX/reports/${draft.id}/preview`)
      .set('Authorization', staff);
    assert.equal(response.status, 200);
    const preview = response.body as ReportPreview;
    assert.equal(preview.report.id, draft.id);
    assert.equal(preview.policy.source, 'default');
    const duo = preview.destinations.find((d) => d.destination === 'DUO');
    assert.ok(duo);
    assert.equal(duo.outcome, 'SEND');
    assert.equal(duo.operation, 'REGISTER');
    const released = new Map(duo.released.map((f) => [f.field, f.value]));
    assert.equal(released.get('absence.beginDate'), draft.fields['absence.beginDate']);
    assert.equal(released.get('school.brin'), '99XX');
    // The demo pupils have a BSN on file: it would leave for DUO, but the preview never decrypts it.
    assert.equal(released.get('pupil.bsn'), '•••••••••');
    assert.equal(released.has('pupil.name'), false, 'DUO identifies by BSN, never by name');
    // The demo pupils have a roster name: it would leave for the municipality (ADR 0027), never shown here.
    const municipality = preview.destinations.find((d) => d.destination === 'LEERPLICHT');
    assert.equal(municipality?.outcome, 'SEND');
    const toMunicipality = new Map(municipality.released.map((f) => [f.field, f.value]));
    assert.equal(toMunicipality.get('pupil.name'), '••••••');
    assert.equal(toMunicipality.get('absence.clockMinutes'), draft.fields['absence.clockMinutes']);
    assert.equal(typeof toMunicipality.get('absence.clockMinutes'), 'number');
    assert.equal(toMunicipality.has('pupil.bsn'), false);
    for (const withheld of duo.withheld) {
      assert.ok(!released.has(withheld.field));
      assert.ok(withheld.reason.length > 0 && withheld.rule.length > 0);
    }
    assert.equal(await auditCount(), before, 'no disclosure or audit entry');
    const still = await request(gateway.app.getHttpServer())
      .get(`/v1/schools/99XX/reports/${draft.id}/chain`)
      .set('Authorization', staff);
    assert.equal((still.body as { report: Report }).report.status, 'DRAFT');
    expect((still.body as { deliveries: unknown[] }).deliveries).toEqual([]);
  });

  it('answers 404 for a report of another school or none', async () => {
    const other = await request(gateway.app.getHttpServer())
      .get(`/v1/schools/99XY/reports/${draft.id}/preview`)
      .set('Authorization', staff);
    assert.equal(other.status, 404);
    assert.equal(other.body.code, 'REPORT_NOT_FOUND');
    const auditor = `Bearer ${await gateway.issuer.issue(DEMO_ACTOR_CLAIMS.leerplicht_officer)}`;
    const refused = await request(gateway.app.getHttpServer())
      .get(`/v1/schools/99XX/reports/${draft.id}/preview`)
      .set('Authorization', auditor);
    assert.equal(refused.status, 403);
  });

  it('groups records waiting for a mapping by code, and empties the group once the code is mapped', async () => {
    const server = gateway.app.getHttpServer();
    const source = JSON.parse(await readFile(boardFile('99XY/absentiemeldingen.json'), 'utf8')) as {
      items: { links: { id: number }[]; absentieReden: { afkorting: string } }[];
    };
    const items = source.items.slice(0, 2).map((item, i) => {
      const copy = structuredClone(item);
      copy.links[0].id = 4499800001 + i;
      copy.absentieReden.afkorting = 'QZ';
      return copy;
    });
    const ingest = await request(server)
      .post('/v1/ingest/somtoday?school=99XY')
      .set('Authorization', staff)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ items }));
    assert.equal(ingest.status, 202);
    assert.equal(ingest.body.quarantinedCount, 2);

    const unmapped = await request(server).get('/v1/quarantine/unmapped').set('Authorization', staff);
    assert.equal(unmapped.status, 200);
    const groups = (unmapped.body as { items: UnmappedReason[] }).items;
    expect(groups.map((g) => [g.school, g.system, g.reasonCode, g.count])).toEqual([
      ['99XY', 'somtoday', 'QZ', 2],
    ]);
    expect(groups[0].examples.map((e) => e.sourceId)).toEqual(['4499800001', '4499800002']);

    const current = await request(server)
      .get('/v1/mappings/somtoday?school=99XY')
      .set('Authorization', staff);
    assert.equal(current.status, 200);
    const mapping = current.body.mapping as { version: string; mapping: { reasons: Record<string, string> } };
    assert.equal(mapping.version, '2025-1');
    const published = await request(server)
      .put('/v1/mappings/somtoday?school=99XY')
      .set('Authorization', staff)
      .send({ system: 'somtoday', version: '2025-2', reasons: { ...mapping.mapping.reasons, QZ: 'SICK' } });
    assert.equal(published.status, 200);
    assert.equal(published.body.replay.resolved, 2);
    const empty = await request(server).get('/v1/quarantine/unmapped').set('Authorization', staff);
    expect(empty.body).toEqual({ items: [] });
  });
});
