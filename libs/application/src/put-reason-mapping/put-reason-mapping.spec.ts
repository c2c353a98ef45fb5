import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CATEGORIES, SOURCE_SYSTEMS, ValidationError } from '#domain';
import { parseReasonMapping } from '#normalisation';
import { parseReasonMappingUpload } from './put-reason-mapping.usecase.js';

const code = fc.oneof(fc.constantFrom('MB', 'VW', 'ZK ', 'X1'), fc.string({ maxLength: 4 }));
const entry = fc.oneof(
  fc.constantFrom(...CATEGORIES),
  fc.record(
    { category: fc.constantFrom(...CATEGORIES), luxury: fc.boolean(), legalClass: fc.anything() },
    { requiredKeys: ['category'] },
  ),
  fc.anything(),
);
const mapping = fc.record(
  {
    system: fc.oneof(fc.constantFrom(...SOURCE_SYSTEMS), fc.anything()),
    version: fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.anything()),
    reasons: fc.oneof(fc.dictionary(code, entry, { maxKeys: 5 }), fc.anything()),
    description: fc.string(),
  },
  { requiredKeys: [] },
);
/** A mapping that is right in every field. */
const goodMapping = fc.record({
  system: fc.constantFrom(...SOURCE_SYSTEMS),
  version: fc.oneof(fc.constantFrom('v1', '2025-2'), fc.integer({ min: 0 })),
  reasons: fc.dictionary(fc.constantFrom('MB', 'VW', 'ZK', 'X1'), fc.constantFrom(...CATEGORIES), {
    maxKeys: 4,
  }),
});
const body = fc.oneof(goodMapping, mapping, fc.anything());

describe('parseReasonMappingUpload', () => {
  it('answers what parseReasonMapping answers: the document with its mapping, or MAPPING_INVALID with its issues', () => {
    fc.assert(
      fc.property(body, (input) => {
        const expected = parseReasonMapping(input);
        if (expected.ok) {
          const upload = parseReasonMappingUpload(input);
          assert.equal(upload.document, input, 'the document is kept as sent');
          expect(upload.mapping).toEqual(expected.value);
        } else {
          assert.throws(
            () => parseReasonMappingUpload(input),
            (error: unknown) =>
              error instanceof ValidationError &&
              error.code === 'MAPPING_INVALID' &&
              error.issues.length > 0 &&
              JSON.stringify(error.issues) === JSON.stringify(expected.issues),
          );
        }
      }),
    );
  });
});
