import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { type YamlPathSegment, readLocatedYaml, yamlPathText } from './yaml-locate.js';

type Tree = { readonly [key: string]: Tree | readonly string[] | string };

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const leaf = fc.oneof(
  word.map((w) => `v${w}`),
  fc.array(
    word.map((w) => `i${w}`),
    { minLength: 1, maxLength: 3 },
  ),
);
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.dictionary(
    word.map((w) => `k${w}`),
    fc.oneof({ depthSize: 'small' }, leaf, tie('node')),
    { minKeys: 1, maxKeys: 4 },
  ),
})).node;

/** Every path to a key (with the key's text) and to a scalar value (with the value's text). */
function paths(
  node: Tree,
  at: YamlPathSegment[] = [],
): { path: YamlPathSegment[]; key: string; value?: string }[] {
  return Object.entries(node).flatMap(([key, value]) => {
    const path = [...at, key];
    if (typeof value === 'string') return [{ path, key, value }];
    if (Array.isArray(value))
      return [{ path, key }, ...value.map((item: string, i) => ({ path: [...path, i], key, value: item }))];
    return [{ path, key }, ...paths(value as Tree, path)];
  });
}

function textAt(text: string, line: number, column: number): string {
  return (text.split('\n')[line - 1] ?? '').slice(column - 1);
}

describe('readLocatedYaml', () => {
  it('locates every key and every scalar value where it stands in the text', () => {
    fc.assert(
      fc.property(tree, (doc) => {
        const text = stringify(doc);
        const yaml = readLocatedYaml(text);
        expect(yaml.syntaxErrors).toEqual([]);
        for (const { path, key, value } of paths(doc)) {
          const keyAt = yaml.locate(path, true);
          if (typeof path.at(-1) === 'string')
            assert.ok(textAt(text, keyAt.line, keyAt.column).startsWith(key));
          if (value !== undefined) {
            const valueAt = yaml.locate(path);
            assert.ok(textAt(text, valueAt.line, valueAt.column).startsWith(value), `${yamlPathText(path)}`);
          }
        }
      }),
    );
  });

  it('stops at the deepest node a missing path reaches', () => {
    const yaml = readLocatedYaml('a:\n  b: 1\n  c:\n    - x\n');
    expect(yaml.locate(['a', 'c', 5])).toEqual({ line: 4, column: 5 });
    expect(yaml.locate(['a', 'nope', 'deeper'])).toEqual({ line: 2, column: 3 });
    expect(yaml.locate([])).toEqual({ line: 1, column: 1 });
  });

  it('reports syntax errors with their position and the first line of the message', () => {
    const yaml = readLocatedYaml('a: 1\na: 2\n');
    assert.equal(yaml.syntaxErrors.length, 1);
    assert.equal(yaml.syntaxErrors[0]?.line, 2);
    assert.ok(!yaml.syntaxErrors[0]?.message.includes('\n'));
  });
});

describe('yamlPathText', () => {
  it('writes keys with dots and indices in brackets', () => {
    assert.equal(yamlPathText(['rules', 2, 'when', 'category']), 'rules[2].when.category');
    assert.equal(yamlPathText([]), '');
  });

  it('names every key of the path in order', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(word, fc.nat(99)), { maxLength: 6 }), (path) => {
        const text = yamlPathText(path);
        let from = 0;
        for (const s of path) {
          const at = text.indexOf(typeof s === 'number' ? `[${s}]` : s, from);
          assert.ok(at >= from);
          from = at;
        }
      }),
    );
  });
});
