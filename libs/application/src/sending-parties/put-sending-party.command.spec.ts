import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { COPY_RECIPIENTS, ForbiddenError, SENDING_PARTY_KINDS, ValidationError } from '#domain';
import { PutSendingPartyCommand, parseSendingPartyUpload } from './put-sending-party.command.js';
import { SENDING_PARTIES_ERRORS } from './sending-parties-error-codes.js';

const CODES: ReadonlySet<string> = new Set(Object.values(SENDING_PARTIES_ERRORS));
const SECRET = 'geheim-wachtwoord-4711';

const text = fc
  .string({ minLength: 1, maxLength: 40 })
  .filter((s) => s.trim() !== '' && [...s].every((c) => c >= ' ' && c !== '\u007F'));
const digits = (n: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''));
const brin = fc
  .tuple(digits(2), fc.array(fc.constantFrom(...'ABCXYZ0189'), { minLength: 2, maxLength: 2 }))
  .map(([d, l]) => d + l.join(''));
const school = fc.record(
  {
    brin,
    locationName: text,
    contact: fc.record({ name: text, email: fc.constant('verzuim@school.example') }, { requiredKeys: [] }),
    copyRecipient: fc.constantFrom(...COPY_RECIPIENTS),
    education: fc.record(
      { soort: fc.constantFrom('VO', 'BVE'), vorm: fc.constantFrom('VT', 'DT'), name: text },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['brin'] },
);
const certificate = fc.oneof(
  fc.record({ pkcs12: fc.base64String({ minLength: 4, maxLength: 40 }), password: fc.constant(SECRET) }),
  fc.record(
    { certPem: text, keyPem: text, keyPassphrase: fc.constant(SECRET) },
    { requiredKeys: ['certPem', 'keyPem'] },
  ),
);
/** A body that is right in every field. */
const goodBody = fc.record(
  {
    name: text,
    kind: fc.constantFrom(...SENDING_PARTY_KINDS),
    oin: digits(20),
    endpoint: fc.constant('https://duo.example/verzuim'),
    schools: fc.uniqueArray(school, { minLength: 1, maxLength: 4, selector: (s) => s.brin }),
    certificate,
  },
  { requiredKeys: ['name', 'kind', 'schools', 'certificate'] },
);
/** A good body with some fields replaced by anything, or anything at all. */
const anyBody = fc.oneof(
  goodBody,
  fc
    .tuple(
      goodBody,
      fc.dictionary(
        fc.constantFrom('name', 'kind', 'oin', 'endpoint', 'schools', 'certificate', 'x'),
        fc.anything(),
      ),
    )
    .map(([good, bad]) => ({ ...good, ...bad })),
  fc.anything(),
);

describe('parseSendingPartyUpload', () => {
  it('reads a good body into the typed upload, trimmed, without adding or losing a school', () => {
    fc.assert(
      fc.property(goodBody, (body) => {
        const upload = parseSendingPartyUpload(body);
        assert.equal(upload.name, body.name.trim());
        assert.equal(upload.kind, body.kind);
        assert.equal(upload.oin, body.oin ?? null);
        assert.equal(upload.endpoint, body.endpoint ?? null);
        expect(upload.schools.map((s) => s.brin)).toEqual(body.schools.map((s) => s.brin));
        assert.equal(upload.upload.format, 'pkcs12' in body.certificate ? 'PKCS12' : 'PEM');
      }),
    );
  });

  it('answers any body with a typed upload or SENDING_PARTY_INVALID and coded issues without values, never another throw', () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        try {
          const upload = parseSendingPartyUpload(body);
          assert.ok(typeof upload.name === 'string' && upload.schools.length > 0);
          assert.ok((SENDING_PARTY_KINDS as readonly string[]).includes(upload.kind));
        } catch (error) {
          assert.ok(error instanceof ValidationError, String(error));
          assert.equal(error.code, 'SENDING_PARTY_INVALID');
          for (const issue of error.issues) {
            assert.ok(CODES.has(issue.code), issue.code);
            assert.ok(!issue.message.includes(SECRET));
          }
          assert.ok(!error.message.includes(SECRET));
        }
      }),
    );
  });
});

describe('PutSendingPartyCommand.create', () => {
  const admin = { role: 'board_admin', subject: 'beheer', board: 'B1' } as const;

  it('takes an id of lower-case letters, digits and dashes; any other id is SENDING_PARTY_INVALID naming id', () => {
    fc.assert(
      fc.property(goodBody, fc.string({ maxLength: 70 }), (body, id) => {
        const upload = parseSendingPartyUpload(body);
        if (/^[a-z0-9][a-z0-9-]{0,62}$/.test(id)) {
          const command = PutSendingPartyCommand.create(admin, id, upload);
          expect([command.board, command.subject, command.id]).toEqual(['B1', 'beheer', id]);
        } else {
          assert.throws(
            () => PutSendingPartyCommand.create(admin, id, upload),
            (error: unknown) =>
              error instanceof ValidationError &&
              error.code === 'SENDING_PARTY_INVALID' &&
              JSON.stringify(error.issues.map((i) => [i.field, i.code])) === '[["id","ID_INVALID"]]',
          );
        }
      }),
    );
  });

  it('is for board administrators only (403 ROLE_NOT_ALLOWED)', () => {
    const upload = fc.sample(goodBody.map(parseSendingPartyUpload), 1)[0];
    assert.throws(
      () => PutSendingPartyCommand.create({ role: 'auditor', subject: 'a', board: 'B1' }, 'eerste', upload),
      (error: unknown) => error instanceof ForbiddenError && error.code === 'ROLE_NOT_ALLOWED',
    );
  });
});
