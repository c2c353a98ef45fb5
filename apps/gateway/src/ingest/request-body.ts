import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { JsonInputScanner, hasUtf16ByteOrderMark, looksLikeJson } from '#domain';
import {
  contentEncodingInvalid,
  encodingUnsupported,
  jsonTooDeep,
  nulCharacter,
  uploadIdle,
} from '../http/coded-http.exception.js';

/** What one upload may cost (ADR 0013): all settings, see docs/operations.md "Limits". */
export interface UploadLimits {
  /** INGEST_MAX_BYTES: the most bytes of (inflated) body. */
  readonly maxBytes: number;
  /** UPLOAD_IDLE_TIMEOUT_MS: the longest wait for the client's next bytes. */
  readonly idleTimeoutMs: number;
  /** INGEST_MEMORY_BYTES: bytes kept in memory; beyond them the body is spooled to `spoolDir`. */
  readonly memoryBytes: number;
  /** JSON_MAX_DEPTH: the deepest nesting a JSON body may have. */
  readonly jsonMaxDepth: number;
  /** `DATA_DIR/tmp`: owner-only, files removed after the request. */
  readonly spoolDir: string;
}

/** A request body read completely before anything is stored: its bytes in memory or in an owner-only file. */
export interface SpooledBody {
  readonly bytes: number;
  /** The body again, from the start, in chunks (read from disk when it was spooled). */
  chunks(): AsyncIterable<Uint8Array>;
  /** Removes the spool file (if any); safe to call twice. */
  dispose(): Promise<void>;
}

const READ_CHUNK = 64 * 1024;

/**
 * Reads an ingest request body whole before any database work begins (ADR 0013), so that a slow client never
 * holds a connection or a transaction: inflated when compressed, counted, checked in one linear pass, kept in
 * memory up to `memoryBytes` and spooled to an owner-only file beyond that.
 *
 * Refused while reading, with nothing stored: more than `maxBytes` (413 PAYLOAD_TOO_LARGE, also when a
 * Content-Length announces it), no bytes for `idleTimeoutMs` (408 UPLOAD_IDLE_TIMEOUT), a compressed body that
 * does not decompress (400 CONTENT_ENCODING_INVALID), UTF-16 text (415 ENCODING_UNSUPPORTED), a NUL byte or,
 * in JSON, a `\u0000` escape (400 NUL_CHARACTER), JSON nested deeper than `jsonMaxDepth` (400 JSON_TOO_DEEP).
 * The rest of a refused body is discarded and the connection closes after the answer.
 */
export async function spoolRequestBody(request: IncomingMessage, limits: UploadLimits): Promise<SpooledBody> {
  const announced = Number(request.headers['content-length']);
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  // The announced length is of the encoded body; it can only be compared when it is the body itself.
  if (encoding === 'identity' && Number.isFinite(announced) && announced > limits.maxBytes) {
    stopReading(request, null);
    throw tooLarge(limits.maxBytes);
  }
  let inflate: Transform | null;
  try {
    inflate = decoder(encoding);
  } catch (error) {
    stopReading(request, null);
    throw error;
  }
  const source: Readable = inflate === null ? request : request.pipe(inflate);
  if (inflate !== null) request.on('error', (error) => inflate.destroy(error));

  const memory: Uint8Array[] = [];
  let bytes = 0;
  let file: { handle: FileHandle | null; path: string } | null = null;
  const dispose = async (): Promise<void> => {
    if (file === null) return;
    const { handle, path } = file;
    file = null;
    await handle?.close().catch(() => undefined);
    await rm(path, { force: true });
  };

  const checker = new BodyChecker(limits.jsonMaxDepth);
  // Not destroyed when left early: destroying the request would close the socket before the answer is sent.
  const iterator = source.iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer>;
  try {
    for (;;) {
      const next = await withinIdle(iterator.next(), limits.idleTimeoutMs);
      if (next.done === true) break;
      const chunk = next.value;
      bytes += chunk.length;
      if (bytes > limits.maxBytes) throw tooLarge(limits.maxBytes);
      checker.check(chunk);
      if (file === null && bytes > limits.memoryBytes) {
        await mkdir(limits.spoolDir, { recursive: true, mode: 0o700 });
        const path = join(limits.spoolDir, `ingest-${randomUUID()}.part`);
        file = { handle: null, path };
        file.handle = await open(path, 'wx', 0o600);
        for (const held of memory.splice(0)) await file.handle.write(held);
      }
      if (file?.handle) await file.handle.write(chunk);
      else memory.push(chunk);
    }
    checker.end();
  } catch (error) {
    // Ends the iteration (its listeners) without destroying anything; an idle read still pending keeps it.
    void iterator.return?.().catch(() => undefined);
    stopReading(request, inflate);
    await dispose();
    if (isZlibError(error)) throw contentEncodingInvalid(encoding);
    throw error;
  }
  const spooled: { handle: FileHandle | null; path: string } | null = file;
  if (spooled !== null) {
    await spooled.handle?.close();
    spooled.handle = null;
  }
  return {
    bytes,
    chunks: () =>
      spooled === null
        ? memoryChunks(memory)
        : (createReadStream(spooled.path, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>),
    dispose,
  };
}

async function* memoryChunks(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield await Promise.resolve(chunk);
}

/** The checks of one linear pass: UTF-16, NUL bytes; for JSON also depth and `\u0000` escapes. */
class BodyChecker {
  private head: Uint8Array | null = new Uint8Array(0);
  private json: JsonInputScanner | null = null;

  constructor(private readonly maxDepth: number) {}

  check(chunk: Uint8Array): void {
    if (this.head !== null) {
      const head = concat(this.head, chunk);
      if (hasUtf16ByteOrderMark(head)) throw encodingUnsupported();
      const isJson = looksLikeJson(head);
      if (isJson === null && head.length < 64 * 1024) {
        this.head = head;
        if (head.includes(0)) throw nulCharacter();
        return;
      }
      this.head = null;
      if (isJson === true) this.json = new JsonInputScanner(this.maxDepth);
      this.scan(head);
      return;
    }
    this.scan(chunk);
  }

  end(): void {
    if (this.head !== null && this.head.length > 0) {
      const head = this.head;
      this.head = null;
      this.scan(head);
    }
  }

  private scan(bytes: Uint8Array): void {
    if (this.json === null) {
      if (bytes.includes(0)) throw nulCharacter();
      return;
    }
    const fault = this.json.write(bytes);
    if (fault === 'too_deep') throw jsonTooDeep(this.maxDepth);
    if (fault === 'nul') throw nulCharacter();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The next chunk, or 408 when the client sends nothing for `timeoutMs`. */
async function withinIdle<T>(next: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(uploadIdle(timeoutMs)), timeoutMs);
  });
  // A read still pending when the upload is cut must not end as an unhandled rejection.
  next.catch(() => undefined);
  try {
    return await Promise.race([next, idle]);
  } finally {
    clearTimeout(timer);
  }
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^Z_|^ERR_BROTLI|^ERR__?ZLIB/.test(code);
}

function decoder(encoding: string): Transform | null {
  switch (encoding) {
    case 'identity':
      return null;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new UnsupportedMediaTypeException(`Content-Encoding ${encoding} is not supported`);
  }
}

/**
 * A refused body is not read further: what is left is discarded and the connection closes once the answer is
 * sent, so that the answer still reaches the client.
 */
export function stopReading(request: IncomingMessage, inflate: Transform | null): void {
  if (request.destroyed) return;
  if (inflate !== null) {
    request.unpipe(inflate);
    inflate.destroy();
  }
  const response = (request as IncomingMessage & { res?: ServerResponse }).res;
  if (response !== undefined && !response.headersSent) response.setHeader('Connection', 'close');
  request.resume();
}

function tooLarge(maxBytes: number): PayloadTooLargeException {
  return new PayloadTooLargeException(`The payload is larger than ${maxBytes} bytes`);
}
