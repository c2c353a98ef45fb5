import {
  type Actor,
  type Clock,
  type SchoolSettings,
  type SchoolSettingsStore,
  ValidationError,
  requireRole,
} from '#domain';
import { schoolInScope } from '../shared/school-day.js';
import { REPORTS_ERRORS } from './reports-error-codes.js';

/** Per-school settings of the signal side (auto-approval of mandatory drafts). */
export class SchoolSettingsUseCase {
  constructor(
    private readonly settings: SchoolSettingsStore,
    private readonly clock: Clock,
  ) {}

  async get(actor: Actor, school: string): Promise<SchoolSettings> {
    const scope = schoolInScope(actor, 'read', school);
    return this.settings.get(scope.board, school);
  }

  async put(actor: Actor, school: string, change: SchoolSettingsChange): Promise<SchoolSettings> {
    requireRole(actor, ['school_staff'], 'Only school staff change school settings');
    const scope = schoolInScope(actor, 'write', school);
    return this.settings.save(
      scope.board,
      { school, autoApproveMandatory: change.autoApproveMandatory, updatedBy: actor.subject },
      this.clock.now(),
    );
  }
}

/** What school staff set (`PUT /v1/schools/{brin}/settings`). */
export interface SchoolSettingsChange {
  readonly autoApproveMandatory: boolean;
}

/** A settings body `{ autoApproveMandatory: boolean }` and nothing else; else `SETTINGS_INVALID`. */
export function parseSchoolSettingsChange(body: unknown): SchoolSettingsChange {
  const value =
    typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)['autoApproveMandatory']
      : undefined;
  const unknown =
    typeof body === 'object' && body !== null
      ? Object.keys(body).filter((k) => k !== 'autoApproveMandatory')
      : [];
  if (typeof value !== 'boolean' || unknown.length > 0) {
    throw new ValidationError(REPORTS_ERRORS.SETTINGS_INVALID, 'The school settings were refused', [
      ...(typeof value !== 'boolean'
        ? [
            {
              field: 'autoApproveMandatory',
              code: REPORTS_ERRORS.INVALID_BOOLEAN,
              message: 'true or false',
            },
          ]
        : []),
      ...unknown.map((k) => ({
        field: k,
        code: REPORTS_ERRORS.UNKNOWN_FIELD,
        message: 'not a school setting',
      })),
    ]);
  }
  return { autoApproveMandatory: value };
}
