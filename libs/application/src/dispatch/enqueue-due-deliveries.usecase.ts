import {
  DELIVERY_DUE,
  type DeliveryDueV1,
  type DeliveryStore,
  type OutboxEvent,
  type UnitOfWork,
} from '#domain';

/** The DELIVERY_DUE event for a delivery's next attempt; the key names the attempt and the sweep that found it. */
export function deliveryDueEvent(
  delivery: { readonly id: string; readonly attempts: number },
  at: Date,
): OutboxEvent {
  const payload: DeliveryDueV1 = { deliveryId: delivery.id, attempt: delivery.attempts + 1 };
  return {
    ...DELIVERY_DUE,
    idempotencyKey: `${DELIVERY_DUE.type}:${delivery.id}:${payload.attempt}:${at.getTime()}`,
    payload,
  };
}

/**
 * The sweep (ADR 0011): every delivery that is due — a retry on its schedule, a PENDING one nobody picked up, an
 * attempt whose dispatcher died with its lease — gets a DELIVERY_DUE message through the outbox, and its next
 * look is pushed on by `staleAfterMs`, in one unit of work. A unit of work is opened only when something is due.
 */
export class EnqueueDueDeliveriesUseCase {
  constructor(
    private readonly store: Pick<DeliveryStore, 'anyDue'>,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** How many deliveries were enqueued (at most `limit`: call again while it returns `limit`). */
  async execute(at: Date, staleAfterMs: number, limit: number): Promise<number> {
    if (!(await this.store.anyDue(at))) return 0;
    return this.unitOfWork.run(async (tx) => {
      const due = await tx.deliveries.takeDue(at, staleAfterMs, limit);
      for (const delivery of due) await tx.outbox.add(deliveryDueEvent(delivery, at), at);
      return due.length;
    });
  }
}
