import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { redactPath } from './log-redaction.js';

describe('redactPath', () => {
  it('replaces pupil ids in paths and drops the query string', () => {
    assert.equal(redactPath('/v1/pupils/LLN-1234'), '/v1/pupils/:localId');
    assert.equal(redactPath('/v1/pupils/LLN-1234/access-report?x=1'), '/v1/pupils/:localId/access-report');
    assert.equal(redactPath('/v1/PUPILS/LLN-1234/legal-hold'), '/v1/PUPILS/:localId/legal-hold');
    assert.equal(redactPath('/v1/%70upils/LLN-1234'), '/v1/%70upils/:localId');
  });

  it('leaves other paths alone', () => {
    assert.equal(redactPath('/v1/schools/99XX/signals?pupil=1'), '/v1/schools/99XX/signals');
    assert.equal(redactPath('/v1/pupils/'), '/v1/pupils/');
    assert.equal(redactPath('/v1/pupils/%E0%A4%A'), '/v1/pupils/:localId');
  });
});
