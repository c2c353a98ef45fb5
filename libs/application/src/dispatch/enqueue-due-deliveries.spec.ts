import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { InMemoryUnitOfWork } from '#testing';
import { EnqueueDueDeliveriesUseCase } from './enqueue-due-deliveries.usecase.js';

const T0 = new Date('2026-12-05T09:00:00Z');
const later = (ms: number): Date => new Date(T0.getTime() + ms);
const STALE_MS = 60_000;

async function withPending(count: number): Promise<InMemoryUnitOfWork> {
  const uow = new InMemoryUnitOfWork();
  await uow.run((tx) =>
    tx.deliveries.insertPlanned(
      { board: 'BOARD-1', school: '99XX', reportId: '00000000-0000-4000-8000-00000000aaaa' },
      Array.from({ length: count }, (_, i) => ({
        destination: 'DUO' as const,
        operation: 'REGISTER' as const,
        recipient: { kind: 'DUO' as const, id: 'DUO' },
        idempotencyKey: `duo:register:${i}`,
      })),
      T0,
    ),
  );
  return uow;
}

describe('EnqueueDueDeliveriesUseCase: the sweep decides the DELIVERY_DUE messages, the rows only move', () => {
  it('gives every due delivery one message with its next attempt, and pushes its next look on', async () => {
    const uow = await withPending(3);
    const sweep = new EnqueueDueDeliveriesUseCase(uow, uow);
    assert.equal(await sweep.execute(later(1_000), STALE_MS, 500), 3);
    expect(uow.outbox.map((e) => [e.type, e.payload])).toEqual(
      uow.deliveries.map((d) => ['reports.delivery-due', { deliveryId: d.id, attempt: 1 }]),
    );
    expect(uow.deliveries.map((d) => d.nextAttemptAt)).toEqual(
      Array(3).fill(later(1_000 + STALE_MS).toISOString()),
    );
    // Looked at again only after `staleAfterMs`, then with a new key (the message may have been lost).
    assert.equal(await sweep.execute(later(2_000), STALE_MS, 500), 0);
    assert.equal(await sweep.execute(later(1_000 + STALE_MS), STALE_MS, 500), 3);
    assert.equal(new Set(uow.outbox.map((e) => e.idempotencyKey)).size, 6);
  });

  it('takes at most `limit` at a time, oldest due first', async () => {
    const uow = await withPending(5);
    const sweep = new EnqueueDueDeliveriesUseCase(uow, uow);
    assert.equal(await sweep.execute(later(1_000), STALE_MS, 2), 2);
    assert.equal(await sweep.execute(later(1_000), STALE_MS, 2), 2);
    assert.equal(await sweep.execute(later(1_000), STALE_MS, 2), 1);
    assert.equal(new Set(uow.outbox.map((e) => (e.payload as { deliveryId: string }).deliveryId)).size, 5);
  });

  it('opens no unit of work when nothing is due', async () => {
    const uow = await withPending(2);
    const committed = uow.committed;
    const sweep = new EnqueueDueDeliveriesUseCase(uow, uow);
    assert.equal(await sweep.execute(new Date(T0.getTime() - 1), STALE_MS, 500), 0);
    assert.equal(uow.committed, committed);
    assert.equal(uow.outbox.length, 0);
  });

  it('leaves the deliveries as they were when the commit fails', async () => {
    const uow = await withPending(2);
    const before = uow.deliveries;
    const sweep = new EnqueueDueDeliveriesUseCase(uow, uow);
    uow.failNextCommit = true;
    await assert.rejects(sweep.execute(later(1_000), STALE_MS, 500), /commit failed/);
    expect(uow.deliveries).toEqual(before);
    assert.equal(uow.outbox.length, 0);
  });
});
