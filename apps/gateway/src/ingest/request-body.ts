import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';

/**
 * An ingest request body as it arrives, never buffered whole: the bytes (inflated when the client compressed
 * them), counted as they flow. Past `maxBytes` (or a Content-Length that announces more) the stream fails with
 * 413 PAYLOAD_TOO_LARGE; a client that goes away mid-body fails it with the socket's error. Either way the
 * reader (the ingest batch) aborts and stores nothing. A reader that stops early leaves the rest of the body to
 * be discarded and the connection to close after the answer, so that the answer still reaches the client.
 */
export function requestBody(request: IncomingMessage, maxBytes: number): AsyncIterable<Uint8Array> {
  const announced = Number(request.headers['content-length']);
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  // The announced length is of the encoded body; it can only be compared when it is the body itself.
  if (encoding === 'identity' && Number.isFinite(announced) && announced > maxBytes) {
    closeAfterAnswer(request);
    throw tooLarge(maxBytes);
  }
  const inflate = decoder(encoding);
  const source: Readable = inflate === null ? request : request.pipe(inflate);
  if (inflate !== null) request.on('error', (error) => inflate.destroy(error));
  return (async function* body(): AsyncGenerator<Uint8Array> {
    let bytes = 0;
    let complete = false;
    try {
      for await (const chunk of source.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > maxBytes) throw tooLarge(maxBytes);
        yield chunk;
      }
      complete = true;
    } finally {
      if (!complete && !request.destroyed) {
        if (inflate !== null) {
          request.unpipe(inflate);
          inflate.destroy();
        }
        closeAfterAnswer(request);
        request.resume();
      }
    }
  })();
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

/** The rest of an unread body is not worth the connection: it closes once the answer is sent. */
function closeAfterAnswer(request: IncomingMessage): void {
  const response = (request as IncomingMessage & { res?: ServerResponse }).res;
  if (response !== undefined && !response.headersSent) response.setHeader('Connection', 'close');
}

function tooLarge(maxBytes: number): PayloadTooLargeException {
  return new PayloadTooLargeException(`The payload is larger than ${maxBytes} bytes`);
}
