import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ValidationError } from '#domain';
import { parseBellSchedule } from '#normalisation';
import { parseBellScheduleBody } from './put-bell-schedule.usecase.js';

const time = fc
  .tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const slot = fc.record({ lessonHour: fc.integer({ min: 0, max: 22 }), start: time, end: time });
const body = fc.oneof(
  fc.array(slot, { maxLength: 6 }),
  fc.array(slot, { maxLength: 6 }).map((bellSchedule) => ({ bellSchedule })),
  fc.anything(),
);

describe('parseBellScheduleBody', () => {
  it('answers what parseBellSchedule answers: its slots, or BELL_SCHEDULE_INVALID with its issues', () => {
    fc.assert(
      fc.property(body, (input) => {
        const expected = parseBellSchedule(input);
        if (expected.ok) {
          expect(parseBellScheduleBody(input)).toEqual(expected.value);
        } else {
          assert.throws(
            () => parseBellScheduleBody(input),
            (error: unknown) =>
              error instanceof ValidationError &&
              error.code === 'BELL_SCHEDULE_INVALID' &&
              JSON.stringify(error.issues) === JSON.stringify(expected.issues),
          );
        }
      }),
    );
  });
});
