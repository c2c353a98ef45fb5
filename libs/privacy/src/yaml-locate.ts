import { type Document, LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';

/** A step into a YAML document: a mapping key or a sequence index. */
export type YamlPathSegment = string | number;

/** A 1-based position in the YAML text. */
export interface YamlPosition {
  readonly line: number;
  readonly column: number;
}

/** A YAML syntax error at its position; the message is the first line of the library's message. */
export interface YamlSyntaxError extends YamlPosition {
  readonly message: string;
}

/** The position of a path in the document: of its value, or of its key when `key` is set. */
export type YamlLocate = (path: readonly YamlPathSegment[], key?: boolean) => YamlPosition;

/** A YAML text read for validation: the document, its syntax errors with positions, and a locator. */
export interface LocatedYaml {
  readonly doc: Document;
  readonly syntaxErrors: readonly YamlSyntaxError[];
  readonly locate: YamlLocate;
}

/**
 * Reads YAML (or JSON) text the way every validating reader here does (duplicate keys refused, plain
 * errors) and keeps the offsets, so that later problems can name a line and column. Throws only where the
 * YAML library itself gives up (nesting beyond its stack).
 */
export function readLocatedYaml(text: string): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxErrors = doc.errors.map((error): YamlSyntaxError => {
    const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    return { line: pos.line, column: pos.col, message: error.message.split('\n')[0] ?? error.message };
  });
  return { doc, syntaxErrors, locate: yamlLocator(doc, lineCounter) };
}

/**
 * Finds the position of a path: walks mappings by key and sequences by index as far as the path exists
 * and answers the position of the deepest node it reached (the document start if none).
 */
export function yamlLocator(doc: Document, lineCounter: LineCounter): YamlLocate {
  return (path, key = false) => {
    let node: unknown = doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (const [i, segment] of path.entries()) {
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        const target = last && key ? pair.key : (pair.value ?? pair.key);
        offset = rangeStart(target) ?? rangeStart(pair.key) ?? offset;
        node = target;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item: unknown = node.items[segment];
        if (item === undefined) break;
        offset = rangeStart(isPair(item) ? item.key : item) ?? offset;
        node = item;
      } else break;
    }
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
}

/** A path as text: `rules[2].when.category`. */
export function yamlPathText(path: readonly YamlPathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function rangeStart(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
}
