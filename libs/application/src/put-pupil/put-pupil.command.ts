import {
  type Actor,
  type BoardScope,
  type ErrorIssue,
  type PupilFacts,
  type RosterEntry,
  type Leerweg,
  type PupilEducation,
  type SchoolSector,
  LEERWEGEN,
  SCHOOL_SECTORS,
  ValidationError,
  isValidBsn,
  requireBoardScope,
  BRIN_PATTERN,
  MUNICIPALITY_CODE_PATTERN,
} from '#domain';
import { type RosterInput, hasRosterFields, rosterEntryOf } from '../pupil-roster/roster-input.js';
import { PUT_PUPIL_ERRORS } from './put-pupil-error-codes.js';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const LOCAL_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export interface PutPupilInput extends RosterInput {
  readonly school: string;
  readonly birthDate: string;
  readonly sector: string;
  readonly startkwalificatie?: boolean;
  readonly woongemeente?: string;
  readonly enrolledFrom: string;
  readonly leftOn?: string | null;
  readonly bsn?: string;
  readonly education?: {
    readonly leerjaar?: number;
    readonly niveau?: number;
    readonly leerweg?: string;
  };
}

/** A pupil's facts from a school system or school staff; checks what only the domain knows (BSN elfproef, dates, scope). */
export class PutPupilCommand {
  private constructor(
    readonly actor: Actor,
    readonly scope: BoardScope,
    readonly localId: string,
    readonly facts: PupilFacts,
    /** Name, group and mentor (ADR 0019) when the input named any of them; absent: the stored ones stay. */
    readonly roster?: RosterEntry,
  ) {}

  static create(actor: Actor, localId: string, input: PutPupilInput): PutPupilCommand {
    const scope = requireBoardScope(actor, 'write');
    const issues: ErrorIssue[] = [];
    const issue = (field: string, code: string, message: string): void => {
      issues.push({ field, code, message });
    };
    if (!LOCAL_ID.test(localId))
      issue('localId', PUT_PUPIL_ERRORS.LOCAL_ID_INVALID, 'letters, digits and . _ : - (1–100)');
    if (!BRIN_PATTERN.test(input.school))
      issue('school', PUT_PUPIL_ERRORS.BRIN_INVALID, 'a BRIN is 2 digits and 2 capitals or digits');
    for (const field of ['birthDate', 'enrolledFrom'] as const) {
      if (!validDate(input[field]))
        issue(field, PUT_PUPIL_ERRORS.DATE_INVALID, 'expected an existing date YYYY-MM-DD');
    }
    if (input.leftOn != null && !validDate(input.leftOn))
      issue('leftOn', PUT_PUPIL_ERRORS.DATE_INVALID, 'expected an existing date YYYY-MM-DD');
    if (
      input.leftOn != null &&
      validDate(input.leftOn) &&
      validDate(input.enrolledFrom) &&
      input.leftOn < input.enrolledFrom
    ) {
      issue('leftOn', PUT_PUPIL_ERRORS.LEFT_BEFORE_ENROLLED, 'leftOn lies before enrolledFrom');
    }
    if (!(SCHOOL_SECTORS as readonly string[]).includes(input.sector)) {
      issue('sector', PUT_PUPIL_ERRORS.SECTOR_UNKNOWN, `one of ${SCHOOL_SECTORS.join(', ')}`);
    }
    if (input.woongemeente !== undefined && !MUNICIPALITY_CODE_PATTERN.test(input.woongemeente)) {
      issue(
        'woongemeente',
        PUT_PUPIL_ERRORS.MUNICIPALITY_CODE_INVALID,
        'a CBS municipality code of four digits',
      );
    }
    if (input.bsn !== undefined) {
      // Never echo the value: it is a BSN (or a typo of one).
      if (!/^\d{9}$/.test(input.bsn)) issue('bsn', PUT_PUPIL_ERRORS.BSN_FORMAT, 'a BSN is exactly 9 digits');
      else if (!isValidBsn(input.bsn))
        issue('bsn', PUT_PUPIL_ERRORS.BSN_ELFPROEF, 'the number fails the elfproef');
    }
    const education = input.education;
    if (education?.leerjaar !== undefined && !isIntegerIn(education.leerjaar, 1, 6))
      issue(
        'education.leerjaar',
        PUT_PUPIL_ERRORS.LEERJAAR_INVALID,
        'a leerjaar is a whole number from 1 to 6',
      );
    if (education?.niveau !== undefined && !isIntegerIn(education.niveau, 1, 4))
      issue(
        'education.niveau',
        PUT_PUPIL_ERRORS.NIVEAU_INVALID,
        'a niveau (mbo) is a whole number from 1 to 4',
      );
    if (education?.leerweg !== undefined && !(LEERWEGEN as readonly string[]).includes(education.leerweg))
      issue('education.leerweg', PUT_PUPIL_ERRORS.LEERWEG_UNKNOWN, `one of ${LEERWEGEN.join(', ')}`);
    const roster = hasRosterFields(input) ? rosterEntryOf(input, issues) : undefined;
    if (issues.length > 0)
      throw new ValidationError(
        PUT_PUPIL_ERRORS.PUPIL_INVALID,
        'The pupil was refused; nothing was stored',
        issues,
      );
    return new PutPupilCommand(
      actor,
      scope,
      localId,
      {
        school: input.school,
        birthDate: input.birthDate,
        sector: input.sector as SchoolSector,
        ...(input.startkwalificatie !== undefined ? { startkwalificatie: input.startkwalificatie } : {}),
        ...(input.woongemeente !== undefined ? { woongemeente: input.woongemeente } : {}),
        enrolledFrom: input.enrolledFrom,
        leftOn: input.leftOn ?? null,
        ...(input.bsn !== undefined ? { bsn: input.bsn } : {}),
        ...(education ? { education: educationOf(education) } : {}),
      },
      roster,
    );
  }
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function educationOf(input: NonNullable<PutPupilInput['education']>): PupilEducation {
  return {
    ...(input.leerjaar !== undefined ? { leerjaar: input.leerjaar } : {}),
    ...(input.niveau !== undefined ? { niveau: input.niveau } : {}),
    ...(input.leerweg !== undefined ? { leerweg: input.leerweg as Leerweg } : {}),
  };
}

function validDate(value: string | undefined): boolean {
  if (value === undefined || !DATE.test(value)) return false;
  return new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}
