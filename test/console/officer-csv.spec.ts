import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { csvCell, toCsv } from '../../apps/console/src/officer/csv.js';

/** Reads one `;`-separated line of quoted cells back (the format toCsv writes). */
function parseLine(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i < line.length) {
    assert.equal(line[i], '"', 'every cell is quoted');
    let value = '';
    i += 1;
    for (;;) {
      if (line[i] === '"' && line[i + 1] === '"') {
        value += '"';
        i += 2;
      } else if (line[i] === '"') {
        i += 1;
        break;
      } else {
        value += line[i];
        i += 1;
      }
    }
    cells.push(value);
    if (line[i] === ';') i += 1;
  }
  return cells;
}

describe('the officer’s CSV export (built in the browser)', () => {
  it('neutralises cells a spreadsheet would run as a formula', () => {
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('+31 6 1234'), `"'+31 6 1234"`);
    assert.equal(csvCell(null), '""');
    assert.equal(csvCell(16), '"16"');
  });

  it('reads back what it wrote, and no cell starts a formula (property)', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !/[\r\n]/.test(s));
    fc.assert(
      fc.property(fc.array(fc.array(text, { minLength: 1, maxLength: 5 }), { maxLength: 5 }), (rows) => {
        const width = Math.max(1, ...rows.map((r) => r.length));
        const header = Array.from({ length: width }, (_, i) => `k${i}`);
        const padded = rows.map((r) => [...r, ...Array<string>(width - r.length).fill('')]);
        const lines = toCsv(header, padded).split('\r\n');
        assert.equal(lines.at(-1), '');
        const back = lines.slice(1, -1).map(parseLine);
        assert.equal(back.length, padded.length);
        back.forEach((cells, r) =>
          cells.forEach((cell, c) => {
            assert.doesNotMatch(cell, /^[=+\-@\t\r]/);
            const original = padded[r][c];
            assert.equal(cell, /^[=+\-@\t\r]/.test(original) ? `'${original}` : original);
          }),
        );
      }),
    );
  });
});
