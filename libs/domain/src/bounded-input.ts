/**
 * Bounded input (ADR 0013): what every entry point checks before it parses a body, in one linear pass over the
 * bytes as they arrive, so that a hostile body costs no more than its length.
 */

/** Why a body is refused before it is parsed. */
export type InputFault = 'too_deep' | 'nul';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const LETTER_U = 0x75;

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return 16; // not hex: the JSON is invalid anyway, and the escape is no NUL
}

/**
 * Scans JSON text (UTF-8 bytes, in chunks of any size) for what no parser should be given: nesting deeper than
 * `maxDepth` (objects and arrays together) and the NUL character, raw or escaped as `\u0000` (PostgreSQL text
 * and jsonb cannot hold it). Linear in the input, constant memory; it does not validate the JSON otherwise.
 */
export class JsonInputScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Hex digits of a `\u` escape read so far; -1 outside one. */
  private hexDigits = -1;
  private codeUnit = 0;

  constructor(readonly maxDepth: number) {}

  /** The first fault in these bytes, or null; after a fault the scanner should not be fed again. */
  write(bytes: Uint8Array): InputFault | null {
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      if (byte === 0) return 'nul';
      if (this.inString) {
        if (this.hexDigits >= 0) {
          this.codeUnit = this.codeUnit * 16 + hexValue(byte);
          if (++this.hexDigits === 4) {
            if (this.codeUnit === 0) return 'nul';
            this.hexDigits = -1;
          }
        } else if (this.escaped) {
          this.escaped = false;
          if (byte === LETTER_U) {
            this.hexDigits = 0;
            this.codeUnit = 0;
          }
        } else if (byte === BACKSLASH) {
          this.escaped = true;
        } else if (byte === QUOTE) {
          this.inString = false;
        }
        continue;
      }
      if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        if (++this.depth > this.maxDepth) return 'too_deep';
      } else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && this.depth > 0) this.depth--;
    }
    return null;
  }
}

/** Whether a body's first bytes (after white space and a UTF-8 byte order mark) open a JSON object or array. */
export function looksLikeJson(head: Uint8Array): boolean | null {
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  for (; i < head.length; i++) {
    const byte = head[i];
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte === OPEN_BRACE || byte === OPEN_BRACKET;
  }
  return null; // only white space so far: undecided
}

/** Whether bytes begin with a UTF-16 or UTF-32 byte order mark: text this gateway does not read (UTF-8 only). */
export function hasUtf16ByteOrderMark(head: Uint8Array): boolean {
  return (
    head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
  );
}
