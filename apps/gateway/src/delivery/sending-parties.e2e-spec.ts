import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { TypeOrmAuditLog } from '#persistence';
import { type DevPki, createDevPki } from '#runtime';
import { type TestGateway, startTestGateway } from '../gateway.test-support.js';

const FIXTURES = fileURLToPath(new URL('../../../../../libs/connectors/duo-rod/fixtures/', import.meta.url));
const P12 = readFileSync(`${FIXTURES}sender.p12`).toString('base64');
const PASSWORD = 'test-wachtwoord';
const DAY = 86_400_000;

/**
 * Sending parties through the API (ADR 0014): a board administrator uploads a PKCS#12 or PEM identity for some
 * schools of the board, sees its certificate's state, never gets the key back; the key is encrypted at rest and
 * the audit log names the upload without any secret.
 */
describe('PUT/GET/DELETE /v1/sending-parties (board administrators)', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  let pki: DevPki;
  let admin: string;
  let otherAdmin: string;
  let staff: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const party = (
    schools: string[],
    certificate: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => ({
    name: 'Stichting Voorbeeld',
    kind: 'BESTUUR',
    schools: schools.map((brin) => ({
      brin,
      locationName: 'Hoofdlocatie',
      contact: { name: 'A. Verzuim', role: 'verzuimcoördinator', email: 'verzuim@school.example' },
      copyRecipient: 'CONTACTPERSOON',
      education: { vorm: 'VT' },
    })),
    certificate,
    ...extra,
  });

  beforeAll(async () => {
    gateway = await startTestGateway();
    http = request(gateway.app.getHttpServer());
    pki = await createDevPki({ oin: '00000001222222220000' });
    admin = await gateway.issuer.issue({ role: 'board_admin', sub: 'beheerder-a', board: 'BOARD-A' });
    otherAdmin = await gateway.issuer.issue({ role: 'board_admin', sub: 'beheerder-b', board: 'BOARD-B' });
    staff = await gateway.issuer.issue({
      role: 'school_staff',
      sub: 'staff',
      board: 'BOARD-A',
      schools: ['99AA'],
    });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('uploads a PKCS#12 identity: the OIN from the certificate, its state, and never the key or the password', async () => {
    const response = await http
      .put('/v1/sending-parties/bestuur-a')
      .set(auth(admin))
      .send(party(['99AA', '99AB'], { pkcs12: P12, password: PASSWORD }))
      .expect(200);
    const body = response.body as {
      oin: string;
      board: string;
      certificateStatus: { state: string; warning: string | null };
      schools: { brin: string }[];
    };
    assert.equal(body.oin, '00000001999999990000');
    assert.equal(body.board, 'BOARD-A');
    assert.equal(body.certificateStatus.state, 'VALID');
    assert.equal(body.certificateStatus.warning, null);
    expect(body.schools.map((s: { brin: string }) => s.brin)).toEqual(['99AA', '99AB']);
    const text = JSON.stringify(body);
    for (const secret of ['PRIVATE KEY', PASSWORD, P12.slice(0, 40)])
      assert.ok(!text.includes(secret), secret);

    const listed = await http.get('/v1/sending-parties').set(auth(admin)).expect(200);
    expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual(['bestuur-a']);
  });

  it('keeps the key encrypted at rest, and audits the upload without any secret', async () => {
    const rows: { material: string; certificate: unknown }[] = await gateway.infra.dataSource.query(
      `SELECT material, certificate FROM sending_party WHERE id = 'bestuur-a'`,
    );
    assert.match(rows[0].material, /^v1\./);
    assert.ok(!rows[0].material.includes('PRIVATE'));
    const entries: { entry: unknown }[] = await gateway.infra.dataSource.query(
      `SELECT entry FROM audit_log WHERE kind = 'SENDING_PARTY' AND board = 'BOARD-A'`,
    );
    const text = JSON.stringify(entries);
    assert.equal((await new TypeOrmAuditLog(gateway.infra.dataSource).verify()).valid, true);
    assert.match(text, /CREATED/);
    assert.match(text, /bestuur-a/);
    for (const secret of ['PRIVATE KEY', PASSWORD]) assert.ok(!text.includes(secret), secret);
  });

  it('warns 30 days ahead: a certificate expiring in 10 days is EXPIRING with a Dutch warning', async () => {
    const soon = await pki.issueClient({
      oin: '00000001222222220000',
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + 10 * DAY),
    });
    const response = await http
      .put('/v1/sending-parties/instelling-c')
      .set(auth(admin))
      .send(party(['99AC'], { certPem: soon.cert, keyPem: soon.key }, { kind: 'INSTELLING' }))
      .expect(200);
    assert.equal(response.body.certificateStatus.state, 'EXPIRING');
    assert.match(response.body.certificateStatus.warning, /verloopt over \d+ dag/);
  });

  const refused: [
    string,
    () => Promise<Record<string, unknown>> | Record<string, unknown>,
    number,
    string,
  ][] = [
    [
      'a wrong PKCS#12 password',
      () => party(['99AD'], { pkcs12: P12, password: 'fout-wachtwoord' }),
      400,
      'PKCS12_PASSWORD',
    ],
    [
      'an expired certificate',
      async () => {
        const old = await pki.issueClient({
          oin: '00000001222222220000',
          notBefore: new Date(Date.now() - 400 * DAY),
          notAfter: new Date(Date.now() - DAY),
        });
        return party(['99AD'], { certPem: old.cert, keyPem: old.key });
      },
      400,
      'CERTIFICATE_EXPIRED',
    ],
    [
      'an OIN that is not the certificate’s',
      () => party(['99AD'], { pkcs12: P12, password: PASSWORD }, { oin: '00000001333333330000' }),
      400,
      'OIN_MISMATCH',
    ],
    [
      'a school another party sends for',
      () => party(['99AB'], { pkcs12: P12, password: PASSWORD }),
      409,
      'SENDING_PARTY_SCHOOL_TAKEN',
    ],
    [
      'a school that is no BRIN',
      () => party(['Lyceum'], { pkcs12: P12, password: PASSWORD }),
      400,
      'BRIN_INVALID',
    ],
    [
      'an endpoint that is not https',
      () => party(['99AD'], { pkcs12: P12, password: PASSWORD }, { endpoint: 'http://duo.example' }),
      400,
      'ENDPOINT_INVALID',
    ],
  ];
  for (const [name, make, status, code] of refused)
    it(`refuses ${name} (${status} ${code}) and never echoes the password`, async () => {
      const response = await http
        .put('/v1/sending-parties/tweede')
        .set(auth(admin))
        .send(await make())
        .expect(status);
      const text = JSON.stringify(response.body);
      assert.ok(text.includes(code), text);
      assert.ok(!text.includes('fout-wachtwoord') && !text.includes(PASSWORD), text);
    });

  it('is for board administrators, each in their own board', async () => {
    await http.get('/v1/sending-parties').set(auth(staff)).expect(403);
    await http
      .put('/v1/sending-parties/x')
      .set(auth(staff))
      .send(party(['99AA'], { pkcs12: P12, password: PASSWORD }))
      .expect(403);
    await http.get('/v1/sending-parties/bestuur-a').set(auth(otherAdmin)).expect(404);
    expect((await http.get('/v1/sending-parties').set(auth(otherAdmin)).expect(200)).body.items).toEqual([]);
  });

  it('removes a party (204); then it is gone (404)', async () => {
    await http.delete('/v1/sending-parties/instelling-c').set(auth(admin)).expect(204);
    await http.get('/v1/sending-parties/instelling-c').set(auth(admin)).expect(404);
    await http.delete('/v1/sending-parties/instelling-c').set(auth(admin)).expect(404);
  });
});
