import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createLogger, safeError } from './logger.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes JSON lines and redacts personal data and secrets wherever they sit', () => {
    const out = capture();
    const logger = createLogger({ logLevel: 'info' }, out.stream);
    logger.info(
      {
        bsn: '123456782',
        pupil: { bsn: '123456782', name: 'Jan Jansen', birthDate: '2010-05-01', localId: 'p-1' },
        report: { fields: { bsn: '123456782' }, parent: { phone: '0612345678' } },
        req: { headers: { authorization: 'Bearer eyJhbGciOi.secret', cookie: 'sid=1' } },
        token: 'eyJhbGciOi.secret',
      },
      'something happened',
    );
    const text = JSON.stringify(out.lines());
    for (const secret of ['123456782', 'Jan Jansen', '2010-05-01', '0612345678', 'eyJhbGciOi', 'sid=1']) {
      assert.ok(!text.includes(secret), `log must not contain ${secret}`);
    }
    const [line] = out.lines();
    assert.equal(line['msg'], 'something happened');
    assert.equal(
      (line['pupil'] as Record<string, unknown>)['localId'],
      'p-1',
      'pseudonymous ids stay readable',
    );
    assert.equal(line['level'], 30);
  });

  it('honours the configured level', () => {
    const out = capture();
    const logger = createLogger({ logLevel: 'warn' }, out.stream);
    logger.info('quiet');
    logger.warn('loud');
    expect(out.lines().map((l) => l['msg'])).toEqual(['loud']);
  });
});

describe('safeError', () => {
  it('keeps type, code and frames but never the message, which may quote input', () => {
    const error = Object.assign(new Error('duplicate key value: Key (bsn)=(123456782) already exists'), {
      code: '23505',
    });
    const safe = safeError(error);
    assert.equal(safe.type, 'Error');
    assert.equal(safe.code, '23505');
    assert.match(safe.frames ?? '', /at /);
    assert.ok(!JSON.stringify(safe).includes('123456782'));
  });
});
