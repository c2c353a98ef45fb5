import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * pglite-socket 0.2.x queues the frontend messages of all connections on one PGlite session and keeps a
 * connection's messages together only while a transaction is open. The extended query protocol (Parse, Bind,
 * Describe, Execute … Sync) keeps state in the session outside transactions too (the unnamed statement and
 * portal), so two connections sending parameterised queries at once interleave and get each other's
 * statements: "portal does not exist", or rows of the other query (pglite issue #1046, PR #977). And one
 * failed message leaves the queue marked busy for good.
 *
 * This replaces the queue's scheduler on our server instance: a connection stays pinned from its first
 * message until it sends Sync (or a simple Query / Terminate), as well as while a transaction is open, and
 * a failed message rejects that message only. A second race sits in the connection handler: every TCP chunk is
 * handled in its own `setImmediate` callback, so when a large message (a big JSON parameter) spans chunks, two
 * callbacks take messages from the same buffer at once and can enqueue them out of order (08P01 protocol
 * violation); the handler's `handleData` is therefore chained per connection. Checked at start: if the internals
 * are not the expected
 * ones (an upgrade changed them), the embedded start fails loudly instead of running unsafely.
 */

interface QueuedMessage {
  readonly handlerId: number;
  readonly message: Uint8Array;
  readonly onData: (data: Uint8Array) => void;
  resolve(bytes: number): void;
  reject(error: unknown): void;
}

interface QueryQueueInternals {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  readonly db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/** Whether a message ends a connection's turn: Sync, a simple Query, Terminate, or a startup packet (no type byte). */
function endsTurn(message: Uint8Array): boolean {
  const type = message[0];
  return type === SYNC || type === QUERY || type === TERMINATE || type === 0;
}

interface HandlerInternals {
  handleData(data: Buffer): Promise<number>;
  kpChain?: Promise<unknown>;
}

/** Chains each connection's chunks: one `handleData` at a time per connection, in arrival order. Idempotent. */
function serialiseHandlerChunks(): void {
  const proto = PGLiteSocketHandler.prototype as unknown as HandlerInternals & { kpSerialised?: boolean };
  if (proto.kpSerialised) return;
  if (typeof proto.handleData !== 'function') {
    throw new Error(
      'pglite-socket internals changed: review libs/persistence/src/embedded/pinned-query-queue.ts before upgrading',
    );
  }
  // Called with the handler as `this` below; taken off the prototype on purpose.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = proto.handleData;
  proto.handleData = function handleData(this: HandlerInternals, data: Buffer): Promise<number> {
    const run = (this.kpChain ?? Promise.resolve()).then(() => original.call(this, data));
    this.kpChain = run.catch(() => undefined);
    return run;
  };
  proto.kpSerialised = true;
}

export function pinExtendedQueries(server: PGLiteSocketServer): void {
  serialiseHandlerChunks();
  const queue = (server as unknown as { queryQueue?: Partial<QueryQueueInternals> }).queryQueue;
  if (
    !queue ||
    !Array.isArray(queue.queue) ||
    typeof queue.processQueue !== 'function' ||
    typeof queue.clearQueueForHandler !== 'function' ||
    typeof queue.db?.execProtocolRawStream !== 'function' ||
    !('lastHandlerId' in queue)
  ) {
    throw new Error(
      'pglite-socket internals changed: review libs/persistence/src/embedded/pinned-query-queue.ts before upgrading',
    );
  }
  const q = queue as QueryQueueInternals;
  /** The connection whose extended-protocol sequence is open (null: none). */
  let midSequence: number | null = null;

  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number): void => {
    if (midSequence === handlerId) midSequence = null;
    clear(handlerId);
  };

  q.processQueue = async function processQueue(this: QueryQueueInternals): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const pinned =
          midSequence ??
          (this.db.isInTransaction() && this.lastHandlerId !== null ? this.lastHandlerId : null);
        const index = pinned === null ? 0 : this.queue.findIndex((m) => m.handlerId === pinned);
        // The pinned connection's next message is still on its way: wait for it (enqueue runs us again).
        if (index === -1) break;
        const [item] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          midSequence = null;
          this.lastHandlerId = item.handlerId;
          item.reject(error);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        midSequence = endsTurn(item.message) ? null : item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }.bind(q);
}
