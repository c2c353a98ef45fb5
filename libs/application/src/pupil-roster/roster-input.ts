import { type ErrorIssue, type PupilName, type RosterEntry, ROSTER_TEXT_MAX } from '#domain';
import { PUPIL_ROSTER_ERRORS } from './pupil-roster-error-codes.js';

/** Roster fields as a caller sends them (PUT /v1/pupils/:localId): each may be absent or null. */
export interface RosterInput {
  readonly name?: {
    readonly roepnaam?: string | null;
    readonly voornamen?: string | null;
    readonly tussenvoegsel?: string | null;
    readonly achternaam?: string | null;
  } | null;
  readonly group?: string | null;
  readonly mentor?: string | null;
}

// No control characters (a name is one line of text); letters of any script, marks, spaces and punctuation.
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/** Whether the input carries roster fields at all (absent fields: the stored roster data stay as they are). */
export function hasRosterFields(input: RosterInput): boolean {
  return input.name !== undefined || input.group !== undefined || input.mentor !== undefined;
}

/**
 * Checks roster fields and returns the entry; issues name the field and never quote its value (a name is
 * personal data and problems are logged).
 */
export function rosterEntryOf(input: RosterInput, issues: ErrorIssue[], prefix = ''): RosterEntry {
  const text = (field: string, value: unknown, required: boolean): string | undefined => {
    if (value === undefined || value === null) {
      if (required)
        issues.push({
          field: prefix + field,
          code: PUPIL_ROSTER_ERRORS.ROSTER_FIELD_MISSING,
          message: 'required',
        });
      return undefined;
    }
    if (typeof value !== 'string') {
      issues.push({
        field: prefix + field,
        code: PUPIL_ROSTER_ERRORS.ROSTER_FIELD_INVALID,
        message: 'expected text',
      });
      return undefined;
    }
    const trimmed = value.trim().replace(/\s+/g, ' ');
    if (trimmed === '') {
      if (required)
        issues.push({
          field: prefix + field,
          code: PUPIL_ROSTER_ERRORS.ROSTER_FIELD_MISSING,
          message: 'required',
        });
      return undefined;
    }
    if (trimmed.length > ROSTER_TEXT_MAX || CONTROL.test(value)) {
      issues.push({
        field: prefix + field,
        code: PUPIL_ROSTER_ERRORS.ROSTER_FIELD_INVALID,
        message: `one line of at most ${ROSTER_TEXT_MAX} characters`,
      });
      return undefined;
    }
    return trimmed;
  };
  let name: PupilName | null = null;
  if (input.name !== undefined && input.name !== null) {
    if (typeof input.name !== 'object' || Array.isArray(input.name)) {
      issues.push({
        field: `${prefix}name`,
        code: PUPIL_ROSTER_ERRORS.ROSTER_FIELD_INVALID,
        message: 'expected an object',
      });
    } else {
      const roepnaam = text('name.roepnaam', input.name.roepnaam, false);
      const voornamen = text('name.voornamen', input.name.voornamen, false);
      const tussenvoegsel = text('name.tussenvoegsel', input.name.tussenvoegsel, false);
      const achternaam = text('name.achternaam', input.name.achternaam, true);
      if (achternaam !== undefined)
        name = {
          ...(roepnaam !== undefined ? { roepnaam } : {}),
          ...(voornamen !== undefined ? { voornamen } : {}),
          ...(tussenvoegsel !== undefined ? { tussenvoegsel } : {}),
          achternaam,
        };
    }
  }
  return {
    name,
    group: text('group', input.group, false) ?? null,
    mentor: text('mentor', input.mentor, false) ?? null,
  };
}
