import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { NormalisePayloadUseCase, type NormalisedPayload } from '#application';
import type { CanonicalRecord, QuarantinedInput, SourceAdapter } from '#domain';
import { adapterFor } from '#runtime';
import { magisterPayload, somtodayPayload } from '../bench/generate-payloads.js';

// Compiled to dist/apps/cli/src/commands/: five levels up is the worktree, six the folder that holds shared/.
const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../../../../shared/fixtures/source-systems/', import.meta.url));
const STREAMED = ['somtoday', 'magister', 'eduarte', 'csv'] as const;

const useCase = new NormalisePayloadUseCase();

/** Bytes in pieces of `size`: multi-byte characters and tokens are cut anywhere. */
function pieces(text: string, size: number): Uint8Array[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

async function streamed(adapter: SourceAdapter, text: string, size = 7): Promise<NormalisedPayload[]> {
  const parts: NormalisedPayload[] = [];
  const run = useCase.stream({
    adapter,
    chunks: pieces(text, size),
    mapping: null,
    timetable: null,
    bellSchedule: null,
  });
  for await (const part of run) parts.push(part);
  return parts;
}

const whole = (adapter: SourceAdapter, payload: string): NormalisedPayload =>
  useCase.execute({ adapter, payload, mapping: null, timetable: null, bellSchedule: null });

const byId = (records: readonly CanonicalRecord[]): CanonicalRecord[] =>
  [...records].sort((a, b) => (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0));

/** A quarantine without its raw: a streamed payload keeps the unread text, not the whole payload. */
const coded = (q: QuarantinedInput): object => ({
  sourceSystem: q.sourceSystem,
  sourceId: q.sourceId,
  reason: q.reason,
  detail: q.detail,
});

function fixtures(system: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const kind of ['ok', 'not-ok']) {
    const dir = `${ROOT}libs/adapters/${system}/fixtures/${kind}/`;
    for (const name of readdirSync(dir).sort())
      out.push({ name: `${kind}/${name}`, text: readFileSync(dir + name, 'utf8') });
  }
  for (const name of readdirSync(SHARED).sort()) {
    if (name.startsWith(`${system}-`) && !name.startsWith('magister-mws'))
      out.push({ name: `shared/${name}`, text: readFileSync(SHARED + name, 'utf8') });
  }
  return out;
}

describe('normalising a streamed payload', () => {
  for (const system of STREAMED) {
    it(`${system}: every fixture gives what the whole payload gives, in one part`, async () => {
      const adapter = adapterFor(system);
      assert.equal(typeof adapter.parseStream, 'function', `${system} reads streams`);
      const files = fixtures(system);
      assert.ok(files.length >= 10);
      for (const { name, text } of files) {
        const expected = whole(adapter, text);
        const parts = await streamed(adapter, text);
        assert.equal(parts.length, 1, name);
        const [got] = parts;
        const truncated = /truncated|unclosed/.test(name);
        if (!truncated) {
          expect(got.records).toEqual(expected.records); // name
          expect(got.lessons).toEqual(expected.lessons); // name
        }
        if (truncated) {
          assert.ok(
            got.quarantined.some((q) => q.reason === 'MALFORMED_PAYLOAD'),
            `${name}: the unreadable rest is quarantined`,
          );
          continue;
        }
        expect(got.quarantined.map(coded)).toEqual(expected.quarantined.map(coded)); // name
        // Items read one by one keep their raw exactly; a payload-level rejection keeps what was read of it.
        const item = (_: QuarantinedInput, i: number): boolean => expected.quarantined[i].raw !== text;
        expect(got.quarantined.filter(item).map((q) => q.raw)).toEqual(
          expected.quarantined.filter(item).map((q) => q.raw),
        ); // name
      }
    });
  }

  for (const [system, generate] of [
    ['somtoday', somtodayPayload],
    ['magister', magisterPayload],
  ] as const) {
    it(`${system}: 12,000 items come in three parts holding exactly the records of the whole payload`, async () => {
      const text = generate(12_000, 7);
      const adapter = adapterFor(system);
      const parts = await streamed(adapter, text, 64 * 1024);
      assert.equal(parts.length, 3);
      for (const part of parts) expect(part.records).toEqual(byId(part.records)); // 'each part is sorted'
      const expected = whole(adapter, text);
      expect(byId(parts.flatMap((p) => p.records))).toEqual(expected.records);
      expect(parts.flatMap((p) => p.quarantined)).toEqual([]);
    });
  }

  describe('teacher checks and the reports that explain them, in different batches', () => {
    const check = JSON.parse(readFileSync(`${SHARED}somtoday-waarnemingen.json`, 'utf8')).items[0] as object;
    const report = JSON.parse(readFileSync(`${SHARED}somtoday-absentiemeldingen.json`, 'utf8'))
      .items[0] as object;
    const filler = (JSON.parse(somtodayPayload(5_000, 3)) as { items: object[] }).items;

    for (const [order, items] of [
      ['check first, report 5,001 items later', [check, ...filler, report]],
      ['report first, check 5,001 items later', [report, ...filler, check]],
    ] as const) {
      it(`links them as in the whole payload (${order})`, async () => {
        const adapter = adapterFor('somtoday');
        const text = JSON.stringify({ items });
        const expected = whole(adapter, text);
        const linked = expected.records.filter((r) => r.explainedBy !== null);
        assert.equal(linked.length, 1, 'the whole payload links the check');
        const parts = await streamed(adapter, text, 32 * 1024);
        assert.equal(parts.length, 2);
        expect(byId(parts.flatMap((p) => p.records))).toEqual(expected.records);
        // The held checks come with the last part.
        const last = parts[parts.length - 1];
        assert.ok(last.records.some((r) => r.recordId === linked[0].recordId));
      });
    }
  });

  describe('a stream that breaks off', () => {
    const cut = (text: string, at: number): string => text.slice(0, Math.floor(text.length * at));
    const cases: [string, string][] = [
      ['somtoday', somtodayPayload(12_000, 5)],
      ['magister', magisterPayload(12_000, 5)],
      [
        'eduarte',
        JSON.stringify({
          absentieMeldingen: (JSON.parse(somtodayPayload(1, 1)) as { items: unknown[] }).items,
          waarnemingen: [],
        }),
      ],
    ];
    for (const [system, text] of cases) {
      it(`${system}: keeps the items read before the break and quarantines the rest`, async () => {
        const adapter = adapterFor(system);
        const parts = await streamed(adapter, cut(text, 0.7), 64 * 1024);
        const quarantined = parts.flatMap((p) => p.quarantined);
        const tail = quarantined.filter((q) => q.reason === 'MALFORMED_PAYLOAD');
        assert.equal(tail.length, 1);
        assert.equal(typeof tail[0].raw, 'string');
        const records = parts.flatMap((p) => p.records).length;
        if (system !== 'eduarte') {
          assert.ok(records > 7_000 && records < 9_000, `${records} records kept`);
          assert.match(tail[0].detail, /after \d+ item\(s\)/);
        }
        // Nothing lost: every item read is a record or a quarantine, and the rest is held as raw text.
        const raw = tail[0].raw as string;
        assert.ok(cut(text, 0.7).endsWith(raw.slice(-100)));
      });
    }

    it('csv: keeps the rows before an unclosed quote', async () => {
      const header = 'record_id,pupil_id,date,kind,registered_via';
      const rows = Array.from(
        { length: 6_000 },
        (_, i) => `r${i},p${i % 50},2026-02-0${2 + (i % 5)},sick,report`,
      );
      const text = `${header}\n${rows.join('\n')}\nr-x,p1,"2026-02-02,absent,report\n`;
      const parts = await streamed(adapterFor('csv'), text, 16 * 1024);
      const quarantined = parts.flatMap((p) => p.quarantined);
      expect(quarantined.map((q) => q.reason)).toEqual(['MALFORMED_PAYLOAD']);
      assert.equal(parts.flatMap((p) => p.records).length, 6_000 * 1);
    });

    it('an empty stream is one malformed payload, never a throw', async () => {
      for (const system of STREAMED) {
        const parts = await streamed(adapterFor(system), '');
        const quarantined = parts.flatMap((p) => p.quarantined);
        expect(quarantined.map((q) => q.reason)).toEqual(['MALFORMED_PAYLOAD']); // system
      }
    });
  });

  describe('50 MB payloads through parseStream (generated here, never committed)', () => {
    const MB50 = 50 * 1024 * 1024;
    /** `template` repeated with fresh ids until 50 MB, as the chunks a 1 MiB file stream would give. */
    function* fifty(
      open: string,
      template: string,
      close: string,
      id: string,
      separator = ',',
    ): Generator<string> {
      let size = 0;
      let buffered: string[] = [open];
      for (let i = 0; size < MB50; i++) {
        const item = (i === 0 ? '' : separator) + template.replaceAll(id, String(9_000_000_000 + i));
        buffered.push(item);
        size += item.length;
        if (buffered.length >= 2_000) {
          yield buffered.join('');
          buffered = [];
        }
      }
      buffered.push(close);
      yield buffered.join('');
    }
    const somtoday = JSON.stringify((JSON.parse(somtodayPayload(1, 1)) as { items: unknown[] }).items[0]);
    const magister = JSON.stringify((JSON.parse(magisterPayload(1, 1)) as { Items: unknown[] }).Items[0]);
    const csvRow = 'ID123,p1,2026-02-02,sick,report';
    const cases: [string, () => Iterable<string>, string][] = [
      ['somtoday', () => fifty('{"items":[', somtoday, ']}', '4401000000'), '4401000000'],
      ['magister', () => fifty('{"PersoonId":1,"Items":[', magister, ']}', '6000000'), '6000000'],
      ['eduarte', () => fifty('{"absentieMeldingen":[', eduarteItem(), ']}', '4401000000'), '4401000000'],
      [
        'csv',
        () =>
          (function* csv(): Generator<string> {
            yield 'record_id,pupil_id,date,kind,registered_via\n';
            yield* fifty('', `${csvRow}\n`, '', 'ID123', '');
          })(),
        'ID123',
      ],
    ];
    for (const [system, payload] of cases) {
      it(`${system}: every item a record, in batches of at most 5,000`, async () => {
        const adapter = adapterFor(system);
        let records = 0;
        let batches = 0;
        const ids = new Set<string>();
        for await (const out of adapter.parseStream!(payload())) {
          assert.ok(out.records.length + out.quarantined.length <= 5_000);
          expect(out.quarantined).toEqual([]);
          records += out.records.length;
          for (const r of out.records) ids.add(r.sourceId);
          batches++;
        }
        assert.ok(records > 40_000, `${records} records`);
        assert.equal(ids.size, records, 'each item once');
        assert.ok(batches >= records / 5_000);
      });
    }
  });

  describe('never silent loss: every item is a record or a quarantine, however the stream is cut', () => {
    const items = (file: string, list: string): unknown[] =>
      (JSON.parse(readFileSync(`${SHARED}${file}`, 'utf8')) as Record<string, unknown[]>)[list];
    const cases: [string, string, unknown[], Record<string, unknown>][] = [
      [
        'somtoday',
        'items',
        [
          ...items('somtoday-absentiemeldingen.json', 'items'),
          ...items('somtoday-waarnemingen.json', 'items'),
        ],
        {},
      ],
      ['magister', 'Items', items('magister-absenties.json', 'Items'), { PersoonId: 4216 }],
      ['eduarte', 'absentieMeldingen', items('eduarte-absentiemeldingen.json', 'absentieMeldingen'), {}],
    ];
    for (const [system, list, valid, header] of cases) {
      it(`${system} (property)`, async () => {
        const adapter = adapterFor(system);
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...valid),
            fc.array(fc.oneof(fc.constantFrom(...valid), fc.anything(), fc.jsonValue()), { maxLength: 25 }),
            fc.integer({ min: 1, max: 200 }),
            async (first, rest, size) => {
              const list_ = [first, ...rest].map(
                (item) => JSON.parse(JSON.stringify(item) ?? 'null') as unknown,
              );
              const text = JSON.stringify({ ...header, [list]: list_ });
              let count = 0;
              for await (const out of adapter.parseStream!(pieces(text, size))) {
                assert.ok(out.quarantined.every((q) => q.reason !== 'MALFORMED_PAYLOAD'));
                count += out.records.length + out.quarantined.length;
              }
              assert.equal(count, list_.length);
            },
          ),
          { numRuns: 150 },
        );
      });
    }
  });

  it('reads adapters without parseStream from the collected text', async () => {
    const adapter = adapterFor('zermelo');
    assert.equal('parseStream' in adapter, false);
    const text = readFileSync(`${SHARED}zermelo-appointments.json`, 'utf8');
    const [part] = await streamed(adapter, text);
    expect(part).toEqual(whole(adapter, text));
  });
});

/** One EduArte absentiemelding in the export's field names, with id 4401000000. */
function eduarteItem(): string {
  const shared = JSON.parse(readFileSync(`${SHARED}eduarte-absentiemeldingen.json`, 'utf8')) as {
    absentieMeldingen: Record<string, unknown>[];
  };
  return JSON.stringify({ ...shared.absentieMeldingen[0], id: 4401000000 });
}
