import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import {
  type ClaimedOutboxRow,
  type Envelope,
  FixedClock,
  type MessagePublisher,
  type OutboxStore,
  UnavailableError,
} from '#domain';
import { RelayOutboxUseCase } from './relay-outbox.usecase.js';

/** An outbox held in memory, with the claim/lease semantics of the real table. */
class MemoryOutbox implements OutboxStore {
  rows = new Map<string, { envelope: Envelope; published: boolean; claimed: boolean; error?: string }>();
  add(id: string): void {
    this.rows.set(id, {
      envelope: {
        type: 't',
        version: 1,
        messageId: `m${id}`,
        idempotencyKey: `k${id}`,
        occurredAt: '',
        payload: {},
      },
      published: false,
      claimed: false,
    });
  }
  claim(_relay: string, limit: number): Promise<ClaimedOutboxRow[]> {
    const out: ClaimedOutboxRow[] = [];
    for (const [id, row] of this.rows) {
      if (out.length >= limit) break;
      if (!row.published && !row.claimed) {
        row.claimed = true;
        out.push({ id, envelope: row.envelope });
      }
    }
    return Promise.resolve(out);
  }
  markPublished(ids: readonly string[]): Promise<void> {
    for (const id of ids) Object.assign(this.rows.get(id)!, { published: true, claimed: false });
    return Promise.resolve();
  }
  release(ids: readonly string[], error: string): Promise<void> {
    for (const id of ids) Object.assign(this.rows.get(id)!, { claimed: false, error });
    return Promise.resolve();
  }
  countUnpublished(): Promise<number> {
    return Promise.resolve([...this.rows.values()].filter((r) => !r.published).length);
  }
}

class FlakyPublisher implements MessagePublisher {
  published: string[] = [];
  failFrom = Infinity;
  publish(envelope: Envelope): Promise<void> {
    if (this.published.length >= this.failFrom) {
      return Promise.reject(new UnavailableError('BROKER_UNAVAILABLE', 'down'));
    }
    this.published.push(envelope.messageId);
    return Promise.resolve();
  }
}

const options = { relayId: 'r', batchSize: 2, leaseMs: 1000 };

describe('RelayOutboxUseCase', () => {
  it('publishes every row in order and marks it published', async () => {
    const outbox = new MemoryOutbox();
    ['1', '2', '3'].forEach((id) => outbox.add(id));
    const publisher = new FlakyPublisher();
    const relay = new RelayOutboxUseCase(outbox, publisher, new FixedClock(new Date(0)), options);
    expect(await relay.drain()).toEqual({ published: 3, claimed: 3, failed: false });
    expect(publisher.published).toEqual(['m1', 'm2', 'm3']);
    assert.equal(await outbox.countUnpublished(), 0);
  });

  it('stops at the first failed publish, keeps the rest, and delivers them later', async () => {
    const outbox = new MemoryOutbox();
    ['1', '2', '3'].forEach((id) => outbox.add(id));
    const publisher = new FlakyPublisher();
    publisher.failFrom = 1;
    const relay = new RelayOutboxUseCase(outbox, publisher, new FixedClock(new Date(0)), options);
    expect(await relay.drain()).toEqual({ published: 1, claimed: 2, failed: true });
    assert.equal(await outbox.countUnpublished(), 2);
    assert.equal(outbox.rows.get('2')!.error, 'BROKER_UNAVAILABLE');
    publisher.failFrom = Infinity;
    expect(await relay.drain()).toEqual({ published: 2, claimed: 2, failed: false });
    expect(publisher.published).toEqual(['m1', 'm2', 'm3']);
  });
});
