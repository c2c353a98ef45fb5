import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { AdapterOutput } from '#domain';
import { JsonListSplitter, type JsonPiece, JsonSplitError } from './json-split.js';
import { streamJsonLists } from './json-stream.js';

/** The text fed to a fresh splitter in pieces cut at these offsets: the pieces, or the error. */
function split(text: string, lists: readonly string[], cuts: readonly number[]): JsonPiece[] | 'error' {
  const pieces: JsonPiece[] = [];
  const splitter = new JsonListSplitter(new Set(lists), (p) => pieces.push(p));
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  try {
    for (const to of [...points, text.length]) {
      splitter.write(text.slice(from, to));
      from = to;
    }
    splitter.end();
  } catch (error) {
    assert.ok(error instanceof JsonSplitError, `only JsonSplitError escapes, not ${String(error)}`);
    return 'error';
  }
  return pieces;
}

/** What the pieces of a valid text must be, from the engine's own parse of the whole. */
function expected(value: unknown, lists: readonly string[]): JsonPiece[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ kind: 'root', value: Array.isArray(value) ? [] : value }];
  }
  const out: JsonPiece[] = [{ kind: 'object' }];
  for (const [key, member] of Object.entries(value)) {
    if (lists.includes(key) && Array.isArray(member)) {
      out.push({ kind: 'list', key });
      for (const item of member as unknown[]) out.push({ kind: 'item', value: item });
    } else {
      out.push({ kind: 'member', key, value: member });
    }
  }
  return out;
}

const cuts = fc.array(fc.nat(), { maxLength: 12 });
const LISTS = ['items', 'b'];
/** Payload-shaped objects: some keys hold lists of arbitrary JSON, others arbitrary JSON. */
const payload = fc.dictionary(
  fc.constantFrom('items', 'b', 'c', 'd\\"e', 'ü'),
  fc.oneof(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })),
);
/** Whitespace JSON allows between tokens, or none. */
const pretty = fc.constantFrom(undefined, 1, '\t', '\r\n ');

describe('JsonListSplitter', () => {
  it('hands on exactly what JSON.parse of the whole text holds, however the text is cut', () => {
    fc.assert(
      fc.property(payload, pretty, cuts, (value, indent, at) => {
        const text = JSON.stringify(value, null, indent);
        expect(split(text, LISTS, at)).toEqual(expected(JSON.parse(text), LISTS));
      }),
      { numRuns: 400 },
    );
  });

  it('reads any JSON value at the top level as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), cuts, (value, at) => {
        const text = JSON.stringify(value);
        expect(split(text, LISTS, at)).toEqual(expected(JSON.parse(text), LISTS));
      }),
      { numRuns: 300 },
    );
  });

  it('fails with JsonSplitError exactly when JSON.parse fails, on mangled payloads', () => {
    const mangled = fc
      .tuple(payload, fc.nat(), fc.constantFrom('', ',', ']', '}', '[', '{', '"', ':', 'x', '\\', ' ', '1'))
      .map(([value, at, insert]) => {
        const text = JSON.stringify(value);
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + (insert === '' ? 1 : 0));
      });
    fc.assert(
      fc.property(mangled, cuts, (text, at) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const result = split(text, LISTS, at);
        assert.equal(result === 'error', !valid, text);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses what JSON refuses between pieces', () => {
    for (const text of [
      '{"items":[1,]}',
      '{"items":[,1]}',
      '{"a":1,}',
      '{,"a":1}',
      '{"a" 1}',
      '{"a":1} x',
      '{"items":[1 2]}',
      '[1,]',
      '',
      '   ',
      '{"items":[{"a":"b}]}',
      '{"a":tru}',
    ]) {
      assert.equal(split(text, LISTS, [3, 7]), 'error', text);
    }
  });

  it('keeps strings with escaped quotes and brackets whole', () => {
    const text = '{"items":[{"s":"a\\\\"},{"s":"]}\\"["},"\\\\\\""]}';
    expect(split(text, LISTS, [14, 15, 16, 20])).toEqual(expected(JSON.parse(text), LISTS));
  });
});

describe('streamJsonLists on the splitter', () => {
  async function read(text: string, at: readonly number[], batchSize: number): Promise<AdapterOutput[]> {
    const points = [...new Set(at.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
    const chunks: string[] = [];
    let from = 0;
    for (const to of [...points, text.length]) {
      chunks.push(text.slice(from, to));
      from = to;
    }
    const out: AdapterOutput[] = [];
    const stream = streamJsonLists(chunks, {
      system: 'somtoday',
      lists: ['items'],
      batchSize,
      readBatch: (envelope, offsets) => ({
        records: [{ envelope, offsets } as never],
        lessons: [],
        quarantined: [],
      }),
    });
    for await (const batch of stream) out.push(batch);
    return out;
  }

  it('hands every item to exactly one batch, in order, with its offset, and the whole top level last', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 30 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.integer({ min: 1, max: 7 }),
        cuts,
        async (items, other, batchSize, at) => {
          const text = JSON.stringify({ before: 1, items, other });
          const batches = await read(text, at, batchSize);
          const seen: unknown[] = [];
          for (const batch of batches) {
            const { envelope, offsets } = batch.records[0] as unknown as {
              envelope: Record<string, unknown>;
              offsets: Record<string, number>;
            };
            const part = (envelope['items'] ?? []) as unknown[];
            if (part.length > 0) assert.equal(offsets['items'], seen.length);
            seen.push(...part);
          }
          expect(seen).toEqual(JSON.parse(JSON.stringify(items)));
          const last = batches.at(-1)?.records[0] as unknown as { envelope: Record<string, unknown> };
          assert.equal(last.envelope['before'], 1);
          assert.ok('other' in last.envelope);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps the items before a fault and quarantines the rest as MALFORMED_PAYLOAD, never throwing', async () => {
    const batches = await read('{"items":[{"a":1},{"a":2},{"a":', [5, 12, 19], 1);
    const quarantined = batches.flatMap((b) => b.quarantined);
    assert.equal(quarantined.length, 1);
    assert.equal(quarantined[0]?.reason, 'MALFORMED_PAYLOAD');
    assert.equal(batches.filter((b) => b.records.length > 0).length, 2);
  });
});
