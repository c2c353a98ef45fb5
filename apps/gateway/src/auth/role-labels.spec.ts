import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { ROLES } from '#domain';
import { ROLE_LABELS } from './role-labels.js';

describe('role labels of the demo sign-in page', () => {
  it('name every role in Dutch', () => {
    for (const role of ROLES) assert.ok(ROLE_LABELS[role], `role ${role} needs a Dutch label`);
  });
});
