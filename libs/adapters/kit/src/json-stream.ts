// Reading a large JSON payload as a stream of chunks: the items of its top-level lists are handed to the
// adapter in batches, and neither the text nor the parsed document is ever held whole. The adapter names its
// lists and reads a batch the way it reads a whole payload (an "envelope" shaped like the payload's top level).
import {
  type AdapterOutput,
  type PayloadChunks,
  type QuarantinedInput,
  type SourceSystemId,
  TooLargeError,
} from '#domain';
import { JsonListSplitter, type JsonPiece } from './json-split.js';
import { ADAPTER_ERRORS } from './adapter-error-codes.js';

/** Items per batch unless an adapter says otherwise: bounded memory, and large enough to amortise a batch. */
export const STREAM_BATCH_ITEMS = 5_000;

export interface JsonListStream {
  readonly system: SourceSystemId;
  /** The top-level keys whose arrays hold the items (`items`, `Items`, `absentieMeldingen`…). */
  readonly lists: readonly string[];
  readonly batchSize?: number;
  /**
   * The most text (characters) one item may take (INGEST_ITEM_MAX_BYTES, ADR 0013): a stretch of the payload
   * this long in which no item completes fails the stream with TooLargeError ITEM_TOO_LARGE, so that neither
   * the parser nor the fault's quarantine text holds more. Unset: no limit.
   */
  readonly itemMaxBytes?: number;
  /**
   * Reads one batch. `envelope` is the payload's top level as far as it has been read: its scalar fields (a
   * nested object or array other than a list stands in as `{}` or `[]`), and each list that has begun holding
   * only this batch's items; `offsets` gives the index in its list of each list's first item here. The last
   * batch (possibly without items) has the complete top level, so the adapter's checks of the envelope (a list
   * missing or not a list, a top level that is not an object: then `envelope` is that value, `[]` for an
   * array) run exactly as on the whole payload.
   */
  readBatch(envelope: unknown, offsets: Readonly<Record<string, number>>): AdapterOutput;
}

/** Top-level value kinds, as far as the envelope needs them. */
type Slot = { readonly kind: 'scalar'; readonly value: unknown } | { readonly kind: 'object' | 'array' };

/**
 * The items of the payload's lists in batches of `batchSize`, each read by `spec.readBatch`. Invalid or
 * truncated JSON never throws: the items read before the fault are kept (read as a batch) and the unreadable
 * rest is one MALFORMED_PAYLOAD quarantine holding the text from the last complete item on.
 */
export async function* streamJsonLists(
  chunks: PayloadChunks,
  spec: JsonListStream,
): AsyncGenerator<AdapterOutput> {
  const batchSize = spec.batchSize ?? STREAM_BATCH_ITEMS;
  const lists = new Set(spec.lists);
  // The top level as far as it has been read: its kind and what each key holds.
  let root: Slot | null = null;
  const top = new Map<string, Slot>();
  let currentList: string | null = null;

  let batch: Record<string, unknown[]> = {};
  let offsets: Record<string, number> = {};
  const counts: Record<string, number> = {};
  let batchItems = 0;
  let itemsRead = 0;
  const ready: AdapterOutput[] = [];

  const envelope = (final: boolean): unknown => {
    if (root !== null && root.kind !== 'object') {
      return root.kind === 'scalar' ? root.value : root.kind === 'array' ? [] : {};
    }
    const out: Record<string, unknown> = {};
    for (const [name, slot] of top) {
      if (lists.has(name) && slot.kind === 'array') {
        if (batch[name] !== undefined || final) out[name] = batch[name] ?? [];
      } else {
        out[name] = slot.kind === 'scalar' ? slot.value : slot.kind === 'array' ? [] : {};
      }
    }
    return out;
  };

  const flush = (final: boolean): void => {
    if (!final && batchItems === 0) return;
    ready.push(spec.readBatch(envelope(final), offsets));
    batch = {};
    offsets = {};
    batchItems = 0;
  };

  const onPiece = (piece: JsonPiece): void => {
    switch (piece.kind) {
      case 'object':
        root = { kind: 'object' };
        return;
      case 'root':
        root = Array.isArray(piece.value) ? { kind: 'array' } : { kind: 'scalar', value: piece.value };
        return;
      case 'member': {
        const value = piece.value;
        top.set(
          piece.key,
          Array.isArray(value)
            ? { kind: 'array' }
            : typeof value === 'object' && value !== null
              ? { kind: 'object' }
              : { kind: 'scalar', value },
        );
        currentList = null;
        return;
      }
      case 'list':
        top.set(piece.key, { kind: 'array' });
        currentList = piece.key;
        return;
      case 'item': {
        const list = currentList;
        if (list === null) return;
        const index = counts[list] ?? 0;
        counts[list] = index + 1;
        (batch[list] ??= []).push(piece.value);
        offsets[list] ??= index;
        batchItems++;
        itemsRead++;
        progress.itemDone = true;
        if (batchItems >= batchSize) flush(false);
      }
    }
  };
  const splitter = new JsonListSplitter(lists, onPiece);

  // The text since the chunk in which the last item ended: what a fault leaves unread (and a little before).
  let tail: string[] = [];
  const progress = { itemDone: false };
  // Characters read since the chunk in which the last item ended (that chunk's rest is the slack of one chunk).
  let sinceItem = 0;
  const itemMaxBytes = spec.itemMaxBytes ?? Number.POSITIVE_INFINITY;
  const decoder = new TextDecoder('utf-8');
  let first = true;

  const fault = (): AdapterOutput => {
    const raw = tail.join('');
    const detail =
      itemsRead === 0
        ? 'payload: not valid JSON'
        : `payload: not valid JSON after ${itemsRead} item(s); the rest could not be read`;
    const entry: QuarantinedInput = {
      quarantined: true,
      sourceSystem: spec.system,
      sourceId: null,
      reason: ADAPTER_ERRORS.MALFORMED_PAYLOAD,
      detail,
      raw,
    };
    return { records: [], lessons: [], quarantined: [entry] };
  };

  const failed = (): AdapterOutput[] => {
    // Items read so far are kept; the structure checks of a last batch would misjudge a cut-off payload.
    if (batchItems > 0) flush(false);
    const out = ready.splice(0);
    const last = out.pop();
    const rest = fault();
    if (last === undefined) return [rest];
    return [...out, { ...last, quarantined: [...last.quarantined, ...rest.quarantined] }];
  };

  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (text.length === 0) continue;
    progress.itemDone = false;
    try {
      splitter.write(text);
    } catch {
      if (progress.itemDone) tail = [];
      tail.push(text);
      yield* failed();
      return;
    }
    if (progress.itemDone) {
      tail = [];
      sinceItem = 0;
    } else {
      sinceItem += text.length;
      if (sinceItem > itemMaxBytes) throw itemTooLarge(itemMaxBytes, itemsRead);
    }
    tail.push(text);
    yield* ready.splice(0);
  }
  try {
    const rest = decoder.decode();
    if (rest.length > 0) splitter.write(rest);
    splitter.end();
  } catch {
    yield* failed();
    return;
  }
  if (root === null) {
    yield fault();
    return;
  }
  flush(true);
  yield* ready.splice(0);
}

/** An item beyond INGEST_ITEM_MAX_BYTES: the whole payload is refused (413), nothing stored. */
export function itemTooLarge(itemMaxBytes: number, itemsRead: number): TooLargeError {
  return new TooLargeError(
    ADAPTER_ERRORS.ITEM_TOO_LARGE,
    `An item of the payload is larger than ${itemMaxBytes} characters (INGEST_ITEM_MAX_BYTES); nothing was stored`,
    [
      {
        field: `items[${itemsRead}]`,
        code: ADAPTER_ERRORS.ITEM_TOO_LARGE,
        message: `item number ${itemsRead + 1} (counting from 1) is too large`,
      },
    ],
  );
}

/**
 * Reads the first chunks of a payload until `enough` says the text so far decides how to read it (JSON or
 * CSV, the CSV header): that text, and the chunks again from the start, so nothing is read twice or lost.
 */
export async function peekPayload(
  chunks: PayloadChunks,
  enough: (head: string) => boolean,
): Promise<{ readonly head: string; readonly chunks: AsyncIterable<string | Uint8Array> }> {
  const iterator =
    Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : toAsync(chunks)[Symbol.asyncIterator]();
  const seen: (string | Uint8Array)[] = [];
  const decoder = new TextDecoder('utf-8');
  let head = '';
  let done = false;
  while (!enough(head)) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    seen.push(next.value);
    head += typeof next.value === 'string' ? next.value : decoder.decode(next.value, { stream: true });
  }
  async function* replay(): AsyncGenerator<string | Uint8Array> {
    yield* seen;
    if (done) return;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  }
  return { head: head.charCodeAt(0) === 0xfeff ? head.slice(1) : head, chunks: replay() };
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}
