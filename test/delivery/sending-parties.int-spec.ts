import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import request from 'supertest';
import { readCertificateBundle } from '#connector-duo-rod';
import type { Delivery, Report, SendingParty } from '#domain';
import { loadPrivacyKeys } from '#config';
import { openSendingPartyStore } from '#runtime';
import { waitFor } from '#testing';
import { type Chain, seedApprovedReports, startChain, statusCounts } from './chain.test-support.js';

type ChainView = { report: Report; deliveries: Delivery[] };

const DAY = 86_400_000;
const OIN_A = '00000001300000000001';
const OIN_B = '00000001300000000002';
const OIN_C = '00000001300000000003';
const BOARD_B = 'BOARD-TWEEDE';
const BOARD_C = 'BOARD-DERDE';

/**
 * One deployment, several boards (ADR 0014): each board's DUO messages travel with that board's own PKIoverheid
 * certificate (TLS and signature) and OIN, never another board's; a school without a sending party of its board
 * waits; an expired certificate holds the board's deliveries, with the reason shown, until a new one is uploaded.
 * Against the chain simulator, which records who connected, who signed and who wsa:From named.
 */
describe('one identity per sending party (two boards, one deployment)', () => {
  let chain: Chain;
  let http: ReturnType<typeof request>;
  const token = (board: string, role: 'board_admin' | 'school_staff', school = '99XX') =>
    role === 'board_admin'
      ? chain.gateway.issuer.issue({ role, sub: `beheer-${board}`, board })
      : chain.gateway.issuer.issue({ role, sub: `staff-${board}`, board, schools: [school] });
  const upload = async (
    board: string,
    id: string,
    schools: string[],
    identity: { cert: string; key: string },
  ) =>
    http
      .put(`/v1/sending-parties/${id}`)
      .set('Authorization', `Bearer ${await token(board, 'board_admin')}`)
      .send({
        name: `Verzendende partij ${id}`,
        kind: 'BESTUUR',
        schools: schools.map((brin) => ({
          brin,
          contact: { name: `Contact ${id}`, email: `verzuim@${id}.example` },
        })),
        certificate: { certPem: identity.cert, keyPem: identity.key },
      })
      .expect(200);
  const viewOf = async (board: string, school: string, id: string): Promise<ChainView> =>
    (
      await http
        .get(`/v1/schools/${school}/reports/${id}/chain`)
        .set('Authorization', `Bearer ${await token(board, 'school_staff', school)}`)
        .expect(200)
    ).body as ChainView;

  beforeAll(async () => {
    chain = await startChain();
    http = request(chain.gateway.app.getHttpServer());
  });
  afterAll(async () => {
    await chain?.stop();
  });

  it('two boards deliver with their own certificates and OINs, for TLS and for the signature', async () => {
    const a = await chain.pki.issueClient({ oin: OIN_A, organisation: 'Bestuur A' });
    const b = await chain.pki.issueClient({ oin: OIN_B, organisation: 'Bestuur B' });
    await upload(chain.board, 'bestuur-a', ['99XX'], a);
    await upload(BOARD_B, 'bestuur-b', ['99YY'], b);
    const ofA = await seedApprovedReports(chain, 20, { prefix: 'a' });
    const ofB = await seedApprovedReports(chain, 20, { prefix: 'b', board: BOARD_B, school: '99YY' });
    const ids = [...ofA, ...ofB].map((r) => r.id);
    await waitFor(async () => ((await statusCounts(chain, ids))['REGISTERED'] === 40 ? true : undefined), {
      what: '40 reports REGISTERED',
      // Generous: a shared CI machine under load signs and verifies every exchange twice.
      timeoutMs: 600_000,
    });

    const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
    const registered = chain.simulator.duo.reports();
    const byKenmerk = new Map(registered.map((r) => [r.kenmerk, r]));
    for (const [reports, oin, cert] of [
      [ofA, OIN_A, a.cert],
      [ofB, OIN_B, b.cert],
    ] as const)
      for (const report of reports) {
        const atDuo = byKenmerk.get(report.id)!;
        assert.equal(atDuo.schoolOin, oin, 'wsa:From is the board’s own OIN');
        assert.equal(atDuo.signerFingerprint, fingerprint(cert), 'signed with the board’s own certificate');
      }
    // Every message the register saw: TLS client, signer and wsa:From are one and the same party.
    const messages = chain.simulator.duo.messages().filter((m) => m.operation === 'MeldenRelatiefVerzuim');
    assert.equal(messages.filter((m) => m.refusedWith === null).length >= 40, true);
    for (const m of messages) {
      assert.ok(m.fromOin === OIN_A || m.fromOin === OIN_B, `only the boards' own identities (${m.fromOin})`);
      assert.equal(m.tlsOin, m.fromOin);
      assert.equal(m.signerOin, m.fromOin);
    }
    assert.equal(chain.simulator.duo.stats().duplicateRegistrations, 0);
    // The audit names the party each report went out under.
    const audit: { entry: { sentBy?: string; senderOin?: string; reportId: string } }[] =
      await chain.gateway.infra.dataSource.query(
        `SELECT entry FROM audit_log WHERE kind = 'REPORT_STATUS' AND entry->>'status' = 'REGISTERED' AND board = $1`,
        [BOARD_B],
      );
    assert.equal(audit.length, 20);
    assert.ok(audit.every((e) => e.entry.sentBy === 'bestuur-b' && e.entry.senderOin === OIN_B));
  });

  it("a message of board A can never go out with board B's identity", async () => {
    // Board B claims board A's school for itself: that is B's own business and changes nothing for A.
    const b = await chain.pki.issueClient({ oin: OIN_B, organisation: 'Bestuur B' });
    await upload(BOARD_B, 'bestuur-b-claimt', ['99XX'], b);
    const [report] = await seedApprovedReports(chain, 1, { prefix: 'a-after-claim' });
    await waitFor(
      async () =>
        (await viewOf(chain.board, '99XX', report.id)).report.status === 'REGISTERED' ? true : undefined,
      {
        what: 'registered',
        timeoutMs: 120_000,
      },
    );
    const atDuo = chain.simulator.duo.reports().find((r) => r.kenmerk === report.id)!;
    assert.equal(atDuo.schoolOin, OIN_A);

    // A school of board A that none of A's parties sends for: held, never sent with B's (or any other) identity.
    const [uncovered] = await seedApprovedReports(chain, 1, { prefix: 'a-uncovered', school: '99XZ' });
    const held = await waitFor(
      async () => {
        const view = await viewOf(chain.board, '99XZ', uncovered.id);
        const duo = view.deliveries.find((d) => d.destination === 'DUO');
        return duo?.lastError?.code === 'SENDING_PARTY_MISSING' && duo.status === 'RETRY_WAIT'
          ? duo
          : undefined;
      },
      { what: 'held for want of a sending party', timeoutMs: 120_000 },
    );
    assert.equal(held.status, 'RETRY_WAIT');
    assert.equal(held.attempts, 0, 'a hold does not use up attempts');
    assert.match(held.lastError!.reason, /Geen verzendende partij .* voor school 99XZ/);
    assert.equal(
      chain.simulator.duo.reports().some((r) => r.kenmerk === uncovered.id),
      false,
      'nothing reached DUO',
    );
  });

  it('an expired certificate holds the board’s deliveries with the reason shown; a new certificate sends them', async () => {
    // Stored as it was uploaded months ago (the API refuses an already expired certificate).
    const expired = await chain.pki.issueClient({
      oin: OIN_C,
      organisation: 'Bestuur C',
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const read = readCertificateBundle({ format: 'PEM', certPem: expired.cert, keyPem: expired.key });
    assert.ok(read.ok);
    const store = openSendingPartyStore(
      chain.gateway.infra.dataSource,
      await loadPrivacyKeys(chain.gateway.infra.settings),
    );
    const at = new Date(Date.now() - 300 * DAY).toISOString();
    const party: SendingParty = {
      id: 'bestuur-c',
      board: BOARD_C,
      kind: 'BESTUUR',
      name: 'Stichting C',
      oin: OIN_C,
      endpoint: null,
      schools: [{ brin: '99CC' }],
      certificate: read.value.certificate,
      createdAt: at,
      updatedAt: at,
      updatedBy: 'test',
    };
    await store.put(party, read.value.material, []);
    const listed = await http
      .get('/v1/sending-parties')
      .set('Authorization', `Bearer ${await token(BOARD_C, 'board_admin')}`)
      .expect(200);
    assert.equal(listed.body.items[0].certificateStatus.state, 'EXPIRED');
    assert.match(listed.body.items[0].certificateStatus.warning, /verlopen/);

    const [report] = await seedApprovedReports(chain, 1, { prefix: 'c', board: BOARD_C, school: '99CC' });
    const held = await waitFor(
      async () => {
        const duo = (await viewOf(BOARD_C, '99CC', report.id)).deliveries.find(
          (d) => d.destination === 'DUO',
        );
        return duo?.lastError?.code === 'SENDING_PARTY_CERTIFICATE_EXPIRED' && duo.status === 'RETRY_WAIT'
          ? duo
          : undefined;
      },
      { what: 'held for an expired certificate', timeoutMs: 120_000 },
    );
    assert.equal(held.status, 'RETRY_WAIT');
    assert.equal(held.attempts, 0);
    assert.match(
      held.lastError!.reason,
      /PKIoverheid-certificaat van Stichting C is op \d{1,2} [a-z]+ \d{4} verlopen/,
    );
    // Still held a while later: it is looked at again and again (RETRY_WAIT, or SENDING while it is looked at), but
    // no attempt is used up, so it never ends up dead.
    for (let look = 0; look < 5; look++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const later = (await viewOf(BOARD_C, '99CC', report.id)).deliveries.find(
        (d) => d.destination === 'DUO',
      )!;
      assert.ok(['RETRY_WAIT', 'SENDING'].includes(later.status), later.status);
      assert.ok(later.attempts <= 1, `attempts ${later.attempts}`);
      assert.equal(later.lastError?.code, 'SENDING_PARTY_CERTIFICATE_EXPIRED');
    }
    assert.equal(
      chain.simulator.duo.messages().some((m) => m.fromOin === OIN_C),
      false,
      'nothing was sent with it',
    );

    await upload(
      BOARD_C,
      'bestuur-c',
      ['99CC'],
      await chain.pki.issueClient({ oin: OIN_C, organisation: 'Bestuur C' }),
    );
    await waitFor(
      async () =>
        (await viewOf(BOARD_C, '99CC', report.id)).report.status === 'REGISTERED' ? true : undefined,
      {
        what: 'registered with the new certificate',
        timeoutMs: 120_000,
      },
    );
    assert.equal(chain.simulator.duo.reports().find((r) => r.kenmerk === report.id)?.schoolOin, OIN_C);
  });
});
