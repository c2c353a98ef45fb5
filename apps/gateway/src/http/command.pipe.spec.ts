import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ValidationError } from '#domain';
import { CommandPipe } from './command.pipe.js';

const parseCount = (body: unknown): { count: number } => {
  const count = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['count'] : null;
  if (typeof count !== 'number')
    throw new ValidationError('COUNT_INVALID', 'The count was refused', [
      { field: 'count', code: 'INVALID_NUMBER', message: 'a number' },
    ]);
  return { count };
};

describe('CommandPipe', () => {
  it('hands the handler what the parse function returns', () => {
    fc.assert(
      fc.property(fc.double(), (count) => {
        expect(new CommandPipe(parseCount).transform({ count })).toEqual({ count });
      }),
    );
  });

  it('lets the coded ValidationError of the parse function through unchanged', () => {
    fc.assert(
      fc.property(
        fc.anything().filter((body) => {
          try {
            parseCount(body);
            return false;
          } catch {
            return true;
          }
        }),
        (body) => {
          assert.throws(
            () => new CommandPipe(parseCount).transform(body),
            (error: unknown) =>
              error instanceof ValidationError &&
              error.code === 'COUNT_INVALID' &&
              error.issues.length === 1 &&
              error.issues[0]?.field === 'count',
          );
        },
      ),
    );
  });
});
