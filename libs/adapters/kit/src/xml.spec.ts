import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodePredefinedEntities, decodeXmlText, safeXmlParser } from './xml.js';

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

describe('safeXmlParser', () => {
  it('never expands a declared entity, and keeps values as text', () => {
    const text =
      '<!DOCTYPE a [<!ENTITY x "boom"><!ENTITY y "&x;&x;&x;">]><a><b>&y;</b><n>007</n><c>&amp;</c></a>';
    expect(safeXmlParser().parse(text)).toEqual({ a: { b: '&y;', n: '007', c: '&amp;' } });
    expect(safeXmlParser({ decode: true }).parse(text)).toEqual({ a: { b: '&y;', n: '007', c: '&' } });
  });

  it('with decode, an escaped value reads back as written', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), (value) => {
        const trimmed = value.trim();
        fc.pre(trimmed !== '');
        const parsed = safeXmlParser({ decode: true }).parse(
          `<a v="${escape(trimmed)}">${escape(trimmed)}</a>`,
          true,
        );
        const attributes = safeXmlParser({
          decode: true,
          ignoreAttributes: false,
          attributeNamePrefix: '@',
        }).parse(`<a v="${escape(trimmed)}">x</a>`) as { a: { '@v': string } };
        expect(parsed).toEqual({ a: trimmed });
        assert.equal(attributes.a['@v'], trimmed);
      }),
    );
  });
});

describe('decodeXmlText', () => {
  it('undoes escaping and character references; decodePredefinedEntities leaves references alone', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        assert.equal(decodeXmlText(escape(text)), text);
        assert.equal(decodePredefinedEntities(escape(text)), text);
        const references = [...text].map((c) => `&#${c.codePointAt(0)};`).join('');
        assert.equal(decodeXmlText(references), text);
        assert.equal(decodePredefinedEntities(references), references);
      }),
    );
  });
});
