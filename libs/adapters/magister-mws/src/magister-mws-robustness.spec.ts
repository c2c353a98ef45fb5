import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { QUARANTINE_REASONS } from '#domain';
import { magisterMwsAdapter } from './index.js';

const COLUMNS = {
  verantwoording_id: '884213',
  stamnummer: '21457',
  agendaitem_id: '5512093',
  moment: '2025-10-14T08:30:00',
  lesuur: '2',
  verantwoordingtype: '2',
  aanwezigheidsreden_code: 'LO',
  aanwezigheidsreden_geoorloofd: '0',
  genoteerd_door: '1032',
  genoteerd_op: '2025-10-14T08:41:12',
  opmerking: 'bus te laat volgens leerling',
};

/** Cell contents of every odd sort: empty, nested, repeated, escaped, huge, impossible. */
const ODD_CELLS: readonly string[] = [
  '',
  ' ',
  '<x>1</x>',
  '<x>1</x><x>2</x>',
  '&amp;',
  '&#0;',
  '&#x110000;',
  '-1',
  '1.5',
  '99999999999999999999',
  'True',
  'nee',
  '2025-02-29T00:00:00',
  '2025-10-14T25:00:00',
  '0001-01-01T00:00:00',
  '<![CDATA[ <b>ZK</b> ]]>',
  'ä'.repeat(10_000),
];

function row(columns: Readonly<Record<string, string>>): string {
  return `<Verantwoording>${Object.entries(columns)
    .map(([name, text]) => `<${name}>${text}</${name}>`)
    .join('')}</Verantwoording>`;
}

function document(rows: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Result>True</Result><Table><Verantwoordingen>${rows.join('')}</Verantwoordingen></Table></Response>`;
}

describe('magister-mws adapter: odd content never throws', () => {
  it('any odd cell in any column gives a record or a coded quarantine, one per row', () => {
    const rows: string[] = [];
    for (const column of Object.keys(COLUMNS)) {
      for (const odd of ODD_CELLS) rows.push(row({ ...COLUMNS, [column]: odd }));
      const { [column]: _dropped, ...without } = COLUMNS as Record<string, string>;
      rows.push(row(without));
    }
    const out = magisterMwsAdapter.parse(document(rows));
    assert.equal(out.records.length + out.quarantined.length, rows.length);
    assert.ok(out.quarantined.length > 0 && out.records.length > 0);
    for (const q of out.quarantined) assert.ok(QUARANTINE_REASONS.includes(q.reason));
    for (const r of out.records) assert.match(r.date ?? '', /^\d{4}-\d{2}-\d{2}$/);
  });

  it('payloads that are not an MWS response are one MALFORMED_PAYLOAD', () => {
    for (const payload of [
      '',
      ' ',
      'null',
      '{"Result": "True"}',
      '<Response>',
      '<Response><Result>True</Result><Table>tekst</Table></Response>',
      '<Response><Result>True</Result><Table><Lijst>tekst</Lijst></Table></Response>',
      '<Response><Result></Result></Response>',
      '<Response>True</Response>',
      '<a/><b/>',
      '<Response><Result>True</Result>' + '<x>'.repeat(500) + '</x>'.repeat(500) + '</Response>',
      '\u0000<Response/>',
    ]) {
      const out = magisterMwsAdapter.parse(payload);
      expect(out.quarantined.map((q) => q.reason)).toEqual(['MALFORMED_PAYLOAD']); // payload.slice(0, 60)
      expect(out.records).toEqual([]);
    }
  });
});

describe('magister-mws adapter: a 50 MB payload', () => {
  it('50 MB of verantwoordingen parses completely', () => {
    const MB = 1024 * 1024;
    const rows: string[] = [];
    let size = 0;
    while (size < 50 * MB) {
      const id = String(1_000_000 + rows.length);
      const day = String(1 + (rows.length % 28)).padStart(2, '0');
      const text = row({ ...COLUMNS, verantwoording_id: id, moment: `2026-02-${day}T08:30:00` });
      rows.push(text);
      size += text.length;
    }
    const payload = document(rows);
    assert.ok(payload.length >= 50 * MB);

    const out = magisterMwsAdapter.parse(payload);

    assert.equal(out.records.length, rows.length);
    assert.equal(out.quarantined.length, 0);
    assert.equal(out.records.at(-1)?.sourceId, String(1_000_000 + rows.length - 1));
  });
});
