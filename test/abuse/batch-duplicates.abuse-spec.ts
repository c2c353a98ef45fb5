import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type AbuseGateway,
  pieces,
  send,
  somtodayItem,
  somtodayPayload,
  startAbuseGateway,
  storedOf,
} from './abuse.test-support.js';

/**
 * Issue 12, item 5: an item that comes twice more than one parse batch (5,000 items) apart no longer fails the
 * whole batch (PostgreSQL 21000, "ON CONFLICT DO UPDATE command cannot affect row a second time"): the batch
 * is de-duplicated whole; of two versions of one record the later in the payload is stored.
 */
describe('abuse: duplicates far apart in one batch (issue 12 item 5)', () => {
  let kp: AbuseGateway;

  beforeAll(async () => {
    kp = await startAbuseGateway();
  });
  afterAll(async () => {
    await kp?.stop();
  });

  const ingest = (token: string, items: Record<string, unknown>[]) =>
    send(kp.port, {
      path: '/v1/ingest/somtoday',
      token,
      headers: { 'content-type': 'application/json' },
      chunks: pieces(somtodayPayload(items), 16),
      timeoutMs: 120_000,
    });

  it('the same item 6,000 items apart is one record', async () => {
    const { token, board } = await kp.staff();
    const items = Array.from({ length: 6_000 }, (_, i) => somtodayItem(i));
    items.push(somtodayItem(0));
    const answer = await ingest(token, items);
    assert.equal(answer.status, 202, answer.text);
    assert.equal(answer.body?.['quarantinedCount'], 0);
    const changes = answer.body?.['changes'] as Record<string, number>;
    assert.equal(changes['created'], 6_000);
    assert.equal(changes['unchanged'], 0);
    assert.equal((await storedOf(kp.infra, board)).records, 6_000);
  });

  it('two versions of one item 5,500 apart: the later is stored, once; a re-send changes nothing', async () => {
    const { token, board } = await kp.staff();
    const items = Array.from({ length: 5_500 }, (_, i) => somtodayItem(i));
    // Item 7 is an authorised absence (MB); its later version says unauthorised (ON).
    const earlier = somtodayItem(7);
    assert.equal((earlier['absentieReden'] as { geoorloofd: boolean }).geoorloofd, true);
    items.push({
      ...earlier,
      absentieReden: {
        ...(earlier['absentieReden'] as object),
        afkorting: 'ON',
        omschrijving: 'Ongeoorloofd',
        geoorloofd: false,
      },
    });
    const answer = await ingest(token, items);
    assert.equal(answer.status, 202, answer.text);
    assert.equal((await storedOf(kp.infra, board)).records, 5_500);
    const id = 5_500_000_007;
    const rows = await kp.infra.dataSource.query<{ legal_class: string }[]>(
      `SELECT payload->>'legalClass' AS legal_class FROM canonical_record_json WHERE board = $1 AND source_id = $2`,
      [board, String(id)],
    );
    expect(rows.map((r) => r.legal_class)).toEqual(['unauthorised']);
    const again = await ingest(token, items);
    assert.equal(again.status, 202, again.text);
    const changes = again.body?.['changes'] as Record<string, number>;
    assert.equal(changes['created'] + changes['updated'] + changes['deleted'], 0);
  });
});
