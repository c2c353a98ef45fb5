import { type Actor, type BoardScope, SOURCE_SYSTEMS, type SourceSystemId, ValidationError } from '#domain';
import { INGEST_PAYLOAD_ERRORS } from './ingest-payload-error-codes.js';

/** The school a raw payload or mapping belongs to: the integration client's own, or the one staff named. */
export function resolveSchool(actor: Actor, scope: BoardScope, requested: string | undefined): string {
  if (actor.role === 'integration_client') {
    if (requested !== undefined && requested !== actor.school) {
      throw new ValidationError(
        INGEST_PAYLOAD_ERRORS.SCHOOL_OUT_OF_SCOPE,
        'An integration client writes for its own school only',
        [
          {
            field: 'school',
            code: INGEST_PAYLOAD_ERRORS.SCHOOL_OUT_OF_SCOPE,
            message: 'not the school of this integration client',
          },
        ],
      );
    }
    return actor.school;
  }
  const schools = scope.schools ?? [];
  const school = requested ?? (schools.length === 1 ? schools[0] : undefined);
  if (school === undefined) {
    throw new ValidationError(
      INGEST_PAYLOAD_ERRORS.SCHOOL_REQUIRED,
      'Name the school (BRIN) this payload belongs to',
      [
        {
          field: 'school',
          code: INGEST_PAYLOAD_ERRORS.SCHOOL_REQUIRED,
          message: 'pass ?school=<BRIN>; this token covers several schools',
        },
      ],
    );
  }
  if (scope.schools !== null && !scope.schools.includes(school)) {
    throw new ValidationError(
      INGEST_PAYLOAD_ERRORS.SCHOOL_OUT_OF_SCOPE,
      'The school is not one of the schools this token may write for',
      [{ field: 'school', code: INGEST_PAYLOAD_ERRORS.SCHOOL_OUT_OF_SCOPE, message: 'not in this token' }],
    );
  }
  return school;
}

export function requireKnownSystem(system: string): SourceSystemId {
  if (!(SOURCE_SYSTEMS as readonly string[]).includes(system)) {
    throw new ValidationError(INGEST_PAYLOAD_ERRORS.UNKNOWN_SYSTEM, 'Unknown school system', [
      {
        field: 'system',
        code: INGEST_PAYLOAD_ERRORS.UNKNOWN_SYSTEM,
        message: `known systems: ${SOURCE_SYSTEMS.join(', ')}`,
      },
    ]);
  }
  return system as SourceSystemId;
}
