import { CATEGORIES, RECIPIENT_KINDS, REPORT_KINDS } from '#domain';
import { CONSENT_CONDITIONS, LEGAL_GROUNDS, NO_REPORT_KIND } from './policy.types.js';

/**
 * The JSON Schema of the policy language. `config/privacy/policy.schema.json` is the same document for
 * editors (a spec keeps the two equal); the library carries its own copy because it reads no files.
 */
const DATE_OR_INSTANT =
  '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})?)?$';
const DURATION = '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$';
const NAME = '^[a-z][a-z0-9_]*$';
const ID = '^[a-z0-9][a-z0-9-]*$';

const nameList = (items: object) => ({ type: 'array', items, uniqueItems: true, minItems: 1 });
const recipientKind = { enum: [...RECIPIENT_KINDS] };
const category = { enum: [...CATEGORIES] };
/** A data category name or a field path (checked against the vocabulary after the schema). */
const fieldRef = { type: 'string', pattern: '^(\\*|[a-z][a-z0-9_]*|[a-z]+\\.[a-zA-Z]+)$' };

export const POLICY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://ketenpoort.example/schemas/privacy-policy.json',
  title: 'ketenpoort privacy policy',
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'version',
    'effectiveFrom',
    'recipients',
    'purposes',
    'dataCategories',
    'rules',
    'retention',
  ],
  properties: {
    id: { type: 'string', pattern: ID },
    version: { type: 'string', minLength: 1 },
    title: { type: 'string' },
    effectiveFrom: { type: 'string', pattern: DATE_OR_INSTANT },
    effectiveUntil: { type: 'string', pattern: DATE_OR_INSTANT },
    recipients: {
      type: 'object',
      propertyNames: recipientKind,
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: { type: 'string', minLength: 1 } },
      },
    },
    purposes: {
      type: 'object',
      propertyNames: { pattern: '^[A-Z][A-Z0-9_]*$' },
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['description', 'basis', 'legalBasis'],
        properties: {
          description: { type: 'string', minLength: 1 },
          basis: { enum: [...LEGAL_GROUNDS] },
          legalBasis: { type: 'string', minLength: 1 },
        },
      },
    },
    dataCategories: {
      type: 'object',
      propertyNames: { pattern: NAME },
      minProperties: 1,
      additionalProperties: nameList({ type: 'string', pattern: '^[a-z]+\\.[a-zA-Z]+$' }),
    },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'effect', 'reason'],
        properties: {
          id: { type: 'string', pattern: ID },
          effect: { enum: ['permit', 'forbid'] },
          reason: { type: 'string', minLength: 1 },
          enabled: { type: 'boolean' },
          when: {
            type: 'object',
            additionalProperties: false,
            properties: {
              recipients: nameList(recipientKind),
              purposes: nameList({ type: 'string' }),
              reportKinds: nameList({ enum: [...REPORT_KINDS, NO_REPORT_KIND] }),
              ageAtLeast: { type: 'integer', minimum: 0, maximum: 130 },
              ageBelow: { type: 'integer', minimum: 1, maximum: 131 },
              consent: {
                type: 'object',
                additionalProperties: false,
                required: ['jgz'],
                properties: { jgz: { enum: [...CONSENT_CONDITIONS] } },
              },
              categoriesAny: nameList(category),
              validFrom: { type: 'string', pattern: DATE_OR_INSTANT },
              validUntil: { type: 'string', pattern: DATE_OR_INSTANT },
            },
          },
          fields: nameList(fieldRef),
          obligations: {
            type: 'object',
            additionalProperties: false,
            properties: {
              retention: { type: 'string', pattern: DURATION },
              notifyParentWithinDays: { type: 'integer', minimum: 0, maximum: 365 },
              notifyPupilWithinDays: { type: 'integer', minimum: 0, maximum: 365 },
              log: { type: 'boolean' },
            },
          },
        },
        if: { properties: { effect: { const: 'permit' } } },
        then: { required: ['fields'] },
      },
    },
    retention: {
      type: 'object',
      additionalProperties: false,
      required: ['default'],
      properties: {
        default: { type: 'string', pattern: DURATION },
        categories: {
          type: 'object',
          propertyNames: { pattern: NAME },
          additionalProperties: {
            type: 'object',
            propertyNames: { pattern: NAME },
            minProperties: 1,
            additionalProperties: { type: 'string', pattern: DURATION },
          },
        },
      },
    },
    invariants: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'description', 'never'],
        properties: {
          id: { type: 'string', pattern: ID },
          description: { type: 'string', minLength: 1 },
          never: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              recipients: nameList(recipientKind),
              recipientsExcept: nameList(recipientKind),
              purposes: nameList({ type: 'string' }),
              categories: nameList(category),
              fields: nameList(fieldRef),
              unlessConsent: { enum: ['jgz'] },
            },
            not: { required: ['recipients', 'recipientsExcept'] },
          },
        },
      },
    },
  },
} as const;
