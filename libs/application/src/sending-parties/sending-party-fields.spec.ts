import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import type { Actor, Pupil } from '#domain';
import { PutPupilCommand } from '../put-pupil/index.js';
import { SendingPartyFieldSource } from './sending-party-fields.js';

const pupil: Pupil = {
  board: 'B1',
  administration: '99XX',
  localId: 'p-1',
  school: '99XX',
  birthDate: '2010-02-11',
  sector: 'vo',
  startkwalificatie: null,
  woongemeente: '0344',
  enrolledFrom: '2022-08-22',
  leftOn: null,
  hasBsn: false,
  legalHold: null,
  updatedAt: '2026-12-05T09:00:00.000Z',
};

describe('report fields from the pupil registry (DUO onderwijsdeelname)', () => {
  it("adds the pupil's leerjaar, niveau and leerweg when the registry holds them", async () => {
    const fields = await new SendingPartyFieldSource(null).fieldsFor('B1', '99XX', {
      ...pupil,
      education: { leerjaar: 4, leerweg: 'GL' },
    });
    expect(fields).toEqual({
      'pupil.woongemeente': '0344',
      'education.soort': 'VO',
      'education.leerjaar': 4,
      'education.leerweg': 'GL',
    });
  });

  it('omits them, never guesses, when the registry does not hold them', async () => {
    const fields = await new SendingPartyFieldSource(null).fieldsFor('B1', '99XX', pupil);
    expect(Object.keys(fields).sort()).toEqual(['education.soort', 'pupil.woongemeente']);
  });
});

describe('PutPupilCommand: education', () => {
  const actor: Actor = { role: 'school_staff', subject: 's', board: 'B1', schools: ['99XX'] };
  const input = { school: '99XX', birthDate: '2010-02-11', sector: 'mbo', enrolledFrom: '2022-08-22' };

  it('keeps the facts given, and only those', () => {
    const command = PutPupilCommand.create(actor, 'p-1', { ...input, education: { niveau: 3 } });
    expect(command.facts.education).toEqual({ niveau: 3 });
  });

  it('refuses values out of range with one coded issue each', () => {
    assert.throws(
      () =>
        PutPupilCommand.create(actor, 'p-1', {
          ...input,
          education: { leerjaar: 0, niveau: 5, leerweg: 'X' },
        }),
      (error: { code: string; issues: { code: string }[] }) =>
        error.code === 'PUPIL_INVALID' &&
        error.issues.map((i) => i.code).join() === 'LEERJAAR_INVALID,NIVEAU_INVALID,LEERWEG_UNKNOWN',
    );
  });
});
