// Splitting a JSON text that arrives in chunks into the pieces a list stream needs: the top-level object's
// keys and values, and each item of its lists. The splitter only finds where a piece begins and ends (strings,
// brackets, commas, colons); every piece is then parsed — and so validated — by the engine's own JSON.parse,
// which is several times faster than a tokenizer written in JavaScript (issue 12: the ingest's share of the
// event loop). Nothing here builds a value itself.

/** What the splitter hands on, in text order. */
export type JsonPiece =
  /** The top level is an object; its members and list items follow. */
  | { readonly kind: 'object' }
  /** A member of the top-level object that is not a list the caller asked for: its parsed value. */
  | { readonly kind: 'member'; readonly key: string; readonly value: unknown }
  /** A list the caller asked for begins (`key: [`). */
  | { readonly kind: 'list'; readonly key: string }
  /** One item of the list that began last. */
  | { readonly kind: 'item'; readonly value: unknown }
  /** The top level is not an object: its parsed value (an array's items are validated one by one, not kept). */
  | { readonly kind: 'root'; readonly value: unknown };

/** Thrown when the text is not JSON; the pieces handed on before it stay valid. */
export class JsonSplitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSplitError';
  }
}

type State =
  | 'start'
  | 'root-scalar'
  | 'root-array-first'
  | 'root-array-next'
  | 'root-array-after-comma'
  | 'root-array-item'
  | 'key-first'
  | 'key-next'
  | 'key-after-comma'
  | 'key'
  | 'colon'
  | 'value-start'
  | 'member'
  | 'list-first'
  | 'list-next'
  | 'list-after-comma'
  | 'item'
  | 'end';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

/** A value begins with one of `{ [ " - 0-9 t f n`; anything else (a bracket, a comma) cannot begin one. */
function isValueStart(c: number): boolean {
  return (
    c === LBRACE ||
    c === LBRACKET ||
    c === QUOTE ||
    c === 0x2d ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x74 ||
    c === 0x66 ||
    c === 0x6e
  );
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * A resumable splitter: `write` each chunk, `end` once. Pieces are handed to `onPiece` as soon as they are
 * complete; an incomplete piece waits (its text only) for the next chunk, so memory is one piece, not the text.
 */
export class JsonListSplitter {
  private state: State = 'start';
  /** Text not yet handed on: begins at the piece being read (or is empty between pieces). */
  private buffer = '';
  /** How far into `buffer` the current piece has been scanned, and the scanner's state there. */
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private key = '';

  constructor(
    private readonly lists: ReadonlySet<string>,
    private readonly onPiece: (piece: JsonPiece) => void,
  ) {}

  /** The number of characters held for the piece being read (for the caller's item-size limit). */
  get pending(): number {
    return this.buffer.length;
  }

  write(text: string): void {
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text;
    this.run(false);
  }

  end(): void {
    this.run(true);
    if (this.state === 'root-scalar') {
      this.onPiece({ kind: 'root', value: parse(this.buffer) });
      this.buffer = '';
      this.state = 'end';
    }
    if (this.state !== 'end') throw new JsonSplitError('the JSON text ends before its top-level value does');
  }

  private run(final: boolean): void {
    let i = 0;
    const b = (): string => this.buffer;
    for (;;) {
      const text = b();
      switch (this.state) {
        case 'start':
        case 'key-first':
        case 'key-next':
        case 'key-after-comma':
        case 'list-after-comma':
        case 'root-array-after-comma':
        case 'colon':
        case 'value-start':
        case 'list-first':
        case 'list-next':
        case 'root-array-first':
        case 'root-array-next':
        case 'end': {
          while (i < text.length && isSpace(text.charCodeAt(i))) i++;
          if (i >= text.length) {
            this.buffer = '';
            return;
          }
          i = this.structural(text, i);
          break;
        }
        case 'root-scalar':
          // A top-level scalar ends with the text: kept until `end`.
          this.buffer = text.slice(i);
          return;
        default: {
          // key, member, item, root-array-item: a piece from `i` on.
          const end = this.scanPiece(text, i);
          if (end < 0) {
            this.buffer = text.slice(i);
            this.scanned -= i;
            if (final) throw new JsonSplitError('the JSON text ends inside a value');
            return;
          }
          this.piece(text.slice(i, end));
          i = end;
        }
      }
    }
  }

  /** One structural character (after whitespace) in the current state; returns where reading goes on. */
  private structural(text: string, i: number): number {
    const c = text.charCodeAt(i);
    switch (this.state) {
      case 'start':
        if (c === LBRACE) {
          this.onPiece({ kind: 'object' });
          this.state = 'key-first';
          return i + 1;
        }
        if (c === LBRACKET) {
          this.state = 'root-array-first';
          return i + 1;
        }
        this.state = 'root-scalar';
        return i;
      case 'key-first':
        if (c === RBRACE) return this.close(i);
        if (c === QUOTE) return this.begin('key', i);
        break;
      case 'key-after-comma':
        if (c === QUOTE) return this.begin('key', i);
        break;
      case 'key-next':
        if (c === RBRACE) return this.close(i);
        if (c === COMMA) return this.to('key-after-comma', i);
        break;
      case 'colon':
        if (c === COLON) return this.to('value-start', i);
        break;
      case 'value-start':
        if (c === LBRACKET && this.lists.has(this.key)) {
          this.onPiece({ kind: 'list', key: this.key });
          return this.to('list-first', i);
        }
        if (isValueStart(c)) return this.begin('member', i);
        break;
      case 'list-first':
        if (c === RBRACKET) return this.to('key-next', i);
        if (isValueStart(c)) return this.begin('item', i);
        break;
      case 'list-after-comma':
        if (isValueStart(c)) return this.begin('item', i);
        break;
      case 'list-next':
        if (c === RBRACKET) return this.to('key-next', i);
        if (c === COMMA) return this.to('list-after-comma', i);
        break;
      case 'root-array-first':
        if (c === RBRACKET) return this.close(i);
        if (isValueStart(c)) return this.begin('root-array-item', i);
        break;
      case 'root-array-after-comma':
        if (isValueStart(c)) return this.begin('root-array-item', i);
        break;
      case 'root-array-next':
        if (c === RBRACKET) return this.close(i);
        if (c === COMMA) return this.to('root-array-after-comma', i);
        break;
      default:
        break;
    }
    throw new JsonSplitError(`unexpected character ${JSON.stringify(text[i])} in the JSON text`);
  }

  private to(state: State, i: number): number {
    this.state = state;
    return i + 1;
  }

  private close(i: number): number {
    if (this.state === 'root-array-first' || this.state === 'root-array-next') {
      this.onPiece({ kind: 'root', value: [] });
    }
    this.state = 'end';
    return i + 1;
  }

  private begin(state: State, i: number): number {
    this.state = state;
    this.scanned = i;
    this.depth = 0;
    this.inString = false;
    return i;
  }

  /** Where the piece that starts at `start` ends (exclusive), or -1 when the text so far does not hold its end. */
  private scanPiece(text: string, start: number): number {
    const first = text.charCodeAt(start);
    let i = this.scanned;
    if (first === QUOTE || this.state === 'key') {
      // A string: its closing quote is the first one not escaped.
      if (i === start) i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          this.scanned = text.length;
          return -1;
        }
        let slashes = 0;
        for (let k = q - 1; k >= start && text.charCodeAt(k) === BACKSLASH; k--) slashes++;
        if (slashes % 2 === 0) return q + 1;
        i = q + 1;
      }
    }
    if (first !== LBRACE && first !== LBRACKET) {
      // A number or a literal: up to the next delimiter.
      while (i < text.length) {
        const c = text.charCodeAt(i);
        if (c === COMMA || c === RBRACKET || c === RBRACE || isSpace(c)) return i;
        i++;
      }
      this.scanned = i;
      return -1;
    }
    let depth = this.depth;
    let inString = this.inString;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (inString) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          i = text.length;
          break;
        }
        let slashes = 0;
        for (let k = q - 1; text.charCodeAt(k) === BACKSLASH; k--) slashes++;
        i = q + 1;
        if (slashes % 2 === 0) inString = false;
        continue;
      }
      if (c === QUOTE) inString = true;
      else if (c === LBRACE || c === LBRACKET) depth++;
      else if (c === RBRACE || c === RBRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    this.scanned = i;
    this.depth = depth;
    this.inString = inString;
    return -1;
  }

  /** A complete piece: parsed, handed on, and the state after it. */
  private piece(raw: string): void {
    switch (this.state) {
      case 'key': {
        const key = parse(raw);
        if (typeof key !== 'string') throw new JsonSplitError('a key in the JSON text is not a string');
        this.key = key;
        this.state = 'colon';
        return;
      }
      case 'member':
        this.onPiece({ kind: 'member', key: this.key, value: parse(raw) });
        this.state = 'key-next';
        return;
      case 'item':
        this.onPiece({ kind: 'item', value: parse(raw) });
        this.state = 'list-next';
        return;
      default:
        // An item of a top-level array: validated, not kept (an adapter reads only a top-level object).
        parse(raw);
        this.state = 'root-array-next';
    }
  }
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new JsonSplitError('a value in the JSON text is not valid JSON');
  }
}
