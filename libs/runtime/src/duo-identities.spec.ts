import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { type DuoRodConnector, IBG_VSV_2_PROFILE, readCertificateBundle } from '#connector-duo-rod';
import { FixedClock, type SendingParty, type SendingPartyMaterial, type SendingPartyStore } from '#domain';
import { outboundContextOf, releasedFor } from '#testing';
import { type DevPki, createDevPki } from './dev-pki.js';
import { DuoSendingPartyConnector } from './duo-identities.js';

const NOW = new Date('2026-02-02T09:00:00Z');
const DAY = 86_400_000;

/** A store in memory: what the router reads. */
function storeOf(parties: { party: SendingParty; material: SendingPartyMaterial }[]): SendingPartyStore {
  const of = (board: string, id: string) => parties.find((p) => p.party.board === board && p.party.id === id);
  return {
    list: (board) => Promise.resolve(parties.filter((p) => p.party.board === board).map((p) => p.party)),
    get: (board, id) => Promise.resolve(of(board, id)?.party ?? null),
    all: () => Promise.resolve(parties.map((p) => p.party)),
    put: () => Promise.resolve(),
    remove: () => Promise.resolve(false),
    material: (board, id) => Promise.resolve(of(board, id)?.material ?? null),
  };
}

/** The settings identity, standing in: it records who it sent for. */
function fallback(): DuoRodConnector & { sentFor: string[] } {
  const sentFor: string[] = [];
  return {
    sentFor,
    destination: 'DUO',
    party: 'settings',
    send: (context: { board: string }) => {
      sentFor.push(context.board);
      return Promise.resolve({
        ok: true,
        externalRef: '1',
        status: 'REGISTERED',
        sentBy: { party: 'settings', oin: '00000001999999990000' },
      });
    },
    fetchStatusChanges: (since: Date) => Promise.resolve({ changes: [], until: since }),
    close: () => undefined,
  } as unknown as DuoRodConnector & { sentFor: string[] };
}

describe('DuoSendingPartyConnector: which identity a DUO message travels under', () => {
  let pki: DevPki;
  let valid: { party: SendingParty; material: SendingPartyMaterial };
  let expired: { party: SendingParty; material: SendingPartyMaterial };
  const lines: string[] = [];
  const logger = pino(
    { level: 'warn' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  const defaults = {
    endpoint: 'https://127.0.0.1:9/duo/rod',
    duoOin: '00000001800866472000',
    ca: '',
    profile: IBG_VSV_2_PROFILE,
    timeoutMs: 1_000,
  };
  const partyOf = async (
    board: string,
    id: string,
    schools: string[],
    validity: { notBefore: Date; notAfter: Date },
  ): Promise<{ party: SendingParty; material: SendingPartyMaterial }> => {
    const issued = await pki.issueClient({ oin: '00000001400000000001', organisation: id, ...validity });
    const read = readCertificateBundle({ format: 'PEM', certPem: issued.cert, keyPem: issued.key });
    assert.ok(read.ok);
    return {
      party: {
        id,
        board,
        kind: 'BESTUUR',
        name: `Stichting ${id}`,
        oin: '00000001400000000001',
        endpoint: null,
        schools: schools.map((brin) => ({ brin })),
        certificate: read.value.certificate,
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
        updatedBy: 'test',
      },
      material: read.value.material,
    };
  };

  beforeAll(async () => {
    pki = await createDevPki({ notBefore: new Date('2025-01-01T00:00:00Z'), validDays: 3650 });
    valid = await partyOf('BOARD-A', 'a', ['99AA'], {
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + 20 * DAY),
    });
    expired = await partyOf('BOARD-C', 'c', ['99CC'], {
      notBefore: new Date(NOW.getTime() - 300 * DAY),
      notAfter: new Date('2026-01-31T00:00:00Z'),
    });
  });

  const send = (router: DuoSendingPartyConnector, board: string, school: string) =>
    router.send(outboundContextOf({ board, school }), releasedFor({ 'school.brin': school }));

  it('a board without parties and no settings identity: held, DUO_NOT_CONFIGURED', async () => {
    const router = new DuoSendingPartyConnector(storeOf([]), null, defaults, new FixedClock(NOW), logger);
    expect(await send(router, 'BOARD-X', '99XX')).toEqual({
      ok: false,
      retryable: true,
      hold: true,
      code: 'DUO_NOT_CONFIGURED',
      reason: 'Er is geen verbinding met DUO ingesteld; de melding wacht tot die er is.',
    });
  });

  it('a board without parties uses the settings identity; a board with parties never does', async () => {
    const settings = fallback();
    const router = new DuoSendingPartyConnector(
      storeOf([valid]),
      settings,
      defaults,
      new FixedClock(NOW),
      logger,
    );
    assert.equal((await send(router, 'BOARD-X', '99XX')).ok, true);
    const result = await send(router, 'BOARD-A', '99AB');
    assert.ok(!result.ok && result.hold === true && result.code === 'SENDING_PARTY_MISSING');
    assert.match(result.reason, /voor school 99AB/);
    expect(settings.sentFor).toEqual(['BOARD-X']); // 'board A’s message never went out with the settings identity'
  });

  it("another board's party for the same school is never used", async () => {
    const router = new DuoSendingPartyConnector(
      storeOf([valid]),
      null,
      defaults,
      new FixedClock(NOW),
      logger,
    );
    // Board B has no party at all and there is no settings identity: board A's party for 99AA does not step in.
    const result = await send(router, 'BOARD-B', '99AA');
    assert.ok(!result.ok && result.code === 'DUO_NOT_CONFIGURED');
  });

  it('an expired certificate holds the delivery with the date in Dutch; nothing is sent', async () => {
    const router = new DuoSendingPartyConnector(
      storeOf([expired]),
      fallback(),
      defaults,
      new FixedClock(NOW),
      logger,
    );
    const result = await send(router, 'BOARD-C', '99CC');
    assert.ok(!result.ok && result.hold === true);
    assert.equal(result.code, 'SENDING_PARTY_CERTIFICATE_EXPIRED');
    assert.equal(
      result.reason,
      'Het PKIoverheid-certificaat van Stichting c is op 31 januari 2026 verlopen; de melding wacht tot een nieuw certificaat is geüpload.',
    );
  });

  it('one status feed per identity in use, each with its own cursor and board; none for an expired one', async () => {
    const router = new DuoSendingPartyConnector(
      storeOf([valid, expired]),
      fallback(),
      defaults,
      new FixedClock(NOW),
      logger,
    );
    const feeds = await router.feeds();
    expect(feeds.map((f) => [f.cursor, f.board])).toEqual([
      ['duo-status', null],
      ['duo-status:a', 'BOARD-A'],
    ]);
    router.close();
  });

  it('warns in the log from 30 days before expiry, and after: codes, board, party and date, never key material', async () => {
    lines.length = 0;
    const router = new DuoSendingPartyConnector(
      storeOf([valid, expired]),
      null,
      defaults,
      new FixedClock(NOW),
      logger,
    );
    assert.equal(await router.warnExpiring(), 2);
    const logged = lines.map((l) => JSON.parse(l) as { code: string; party: string; daysLeft: number });
    expect(logged.map((l) => [l.code, l.party])).toEqual([
      ['SENDING_PARTY_CERTIFICATE_EXPIRING', 'a'],
      ['SENDING_PARTY_CERTIFICATE_EXPIRED', 'c'],
    ]);
    assert.ok(!lines.join('').includes('PRIVATE KEY'));
  });
});
