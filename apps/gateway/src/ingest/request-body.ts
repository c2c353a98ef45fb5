import type { IncomingMessage } from 'node:http';
import { type Readable, pipeline } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';

/**
 * An ingest request body as it arrives, never buffered whole: the bytes (inflated when the client compressed
 * them), counted as they flow. Past `maxBytes` (or a Content-Length that announces more) the stream fails with
 * 413 PAYLOAD_TOO_LARGE; a client that goes away mid-body fails it with the socket's error. Either way the
 * reader (the ingest batch) aborts and stores nothing.
 */
export function requestBody(request: IncomingMessage, maxBytes: number): AsyncIterable<Uint8Array> {
  const announced = Number(request.headers['content-length']);
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  // The announced length is of the encoded body; it can only be compared when it is the body itself.
  if (encoding === 'identity' && Number.isFinite(announced) && announced > maxBytes) throw tooLarge(maxBytes);
  const source = decoded(request, encoding);
  return (async function* body(): AsyncGenerator<Uint8Array> {
    let bytes = 0;
    for await (const chunk of source as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        source.destroy();
        throw tooLarge(maxBytes);
      }
      yield chunk;
    }
  })();
}

function decoded(request: IncomingMessage, encoding: string): Readable {
  switch (encoding) {
    case 'identity':
      return request;
    case 'gzip':
    case 'x-gzip':
      return pipeline(request, createGunzip(), ignore);
    case 'deflate':
      return pipeline(request, createInflate(), ignore);
    case 'br':
      return pipeline(request, createBrotliDecompress(), ignore);
    default:
      throw new UnsupportedMediaTypeException(`Content-Encoding ${encoding} is not supported`);
  }
}

/** pipeline's callback: the error reaches the reader through the last stream, which it destroys. */
function ignore(): void {}

function tooLarge(maxBytes: number): PayloadTooLargeException {
  return new PayloadTooLargeException(`The payload is larger than ${maxBytes} bytes`);
}
