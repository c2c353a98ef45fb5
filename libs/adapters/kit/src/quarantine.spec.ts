import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { QUARANTINE_REASONS, SOURCE_SYSTEMS } from '#domain';
import { ItemProblem } from './json-fields.js';
import { itemQuarantined, payloadRejected, quarantinedInput } from './quarantine.js';

const system = fc.constantFrom(...SOURCE_SYSTEMS);
const reason = fc.constantFrom(...QUARANTINE_REASONS);
const sourceId = fc.option(fc.string(), { nil: null });

describe('quarantine helpers', () => {
  it('keep the system, id, reason, detail and raw as given', () => {
    fc.assert(
      fc.property(system, sourceId, reason, fc.string(), fc.anything(), (sys, id, why, detail, raw) => {
        const item = quarantinedInput(sys, id, why, detail, raw);
        expect(item).toEqual({
          quarantined: true,
          sourceSystem: sys,
          sourceId: id,
          reason: why,
          detail,
          raw,
        });
        expect(itemQuarantined(sys, new ItemProblem(why, detail), id, raw)).toEqual(item);
      }),
    );
  });

  it('a rejected payload is one quarantined item without a source id, and nothing else', () => {
    fc.assert(
      fc.property(system, reason, fc.string(), fc.anything(), (sys, why, detail, payload) => {
        expect(payloadRejected(sys, why, detail, payload)).toEqual({
          records: [],
          lessons: [],
          quarantined: [quarantinedInput(sys, null, why, detail, payload)],
        });
      }),
    );
  });
});
