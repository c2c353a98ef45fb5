import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  type Actor,
  displayNameOf,
  nameQueryTokens,
  nameTokenPrefixes,
  nameTokens,
  requireRosterReadScope,
} from './index.js';

describe('pupil roster: names and search tokens', () => {
  it('shows the roepnaam, else the first voornaam, with tussenvoegsel and achternaam', () => {
    assert.equal(
      displayNameOf({
        roepnaam: 'Daan',
        voornamen: 'Daniel Johannes',
        tussenvoegsel: 'de',
        achternaam: 'Vries',
      }),
      'Daan de Vries',
    );
    assert.equal(displayNameOf({ voornamen: 'Sem Pieter', achternaam: 'Çelik' }), 'Sem Çelik');
    assert.equal(displayNameOf({ achternaam: 'Jansen' }), 'Jansen');
    assert.equal(displayNameOf(null), null);
  });

  it('folds case and accents and splits on anything but letters and digits', () => {
    expect(nameTokens("Zoë van 't Hof-Çelik")).toEqual(['zoe', 'van', 't', 'hof', 'celik']);
    expect(nameTokens('  ')).toEqual([]);
    expect(nameQueryTokens('DE VR de')).toEqual(['de', 'vr']);
  });

  it('every query made of starts of the name tokens finds the name (property)', () => {
    const part = fc.stringMatching(/^[A-Za-zÀ-ÿ]{1,12}$/);
    fc.assert(
      fc.property(part, part, fc.integer({ min: 2, max: 12 }), (first, last, cut) => {
        const prefixes = new Set(nameTokenPrefixes({ roepnaam: first, achternaam: last }));
        for (const token of nameQueryTokens(`${first.slice(0, cut)} ${last.slice(0, cut)}`))
          if (token.length >= 2 || nameTokens(first).includes(token) || nameTokens(last).includes(token))
            assert.ok(prefixes.has(token), token);
      }),
    );
  });

  it('lets only school staff read names, for their own schools', () => {
    const staff: Actor = { role: 'school_staff', subject: 's', board: 'B', schools: ['99XX'] };
    expect(requireRosterReadScope(staff)).toEqual({ board: 'B', schools: ['99XX'] });
    for (const actor of [
      { role: 'privacy_officer', subject: 'f', board: 'B' },
      { role: 'auditor', subject: 'a', board: 'B' },
      { role: 'leerplicht_officer', subject: 'l', municipalities: ['0344'] },
      { role: 'integration_client', subject: 'c', board: 'B', school: '99XX', system: 'x' },
    ] as Actor[])
      assert.throws(() => requireRosterReadScope(actor), { code: 'ROLE_NOT_ALLOWED' });
  });
});
