import {
  type BoardScope,
  type CanonicalRecord,
  type ErrorIssue,
  type PupilDirectory,
  type RegisteredPupilAt,
  scopeCoversSchool,
} from '#domain';
import { SHARED_ERRORS } from './shared-error-codes.js';

/**
 * The registry as loaded before a batch begins (embedded, an open batch transaction holds the one database session,
 * so nothing else may be asked while it is open): the board's declaration and, for a shared administration,
 * every registered pupil.
 */
export interface PupilView {
  readonly shared: boolean;
  registeredAt(localIds: readonly string[]): RegisteredPupilAt[];
}

/** Loads the view `placeRecords` needs for a batch of records that all name a school. */
export async function pupilViewOf(directory: PupilDirectory, board: string): Promise<PupilView> {
  const shared = await directory.sharedAdministration(board);
  const byNumber = new Map<string, RegisteredPupilAt[]>();
  // Per school every record names its school, hence its pupil: nothing to load.
  for (const pupil of shared ? await directory.registeredAt(board, null) : []) {
    byNumber.set(pupil.localId, [...(byNumber.get(pupil.localId) ?? []), pupil]);
  }
  return { shared, registeredAt: (localIds) => localIds.flatMap((id) => byNumber.get(id) ?? []) };
}

/** A record the caller may not write for the pupil it names: its index in the input and a coded issue. */
export interface RefusedRecord {
  readonly index: number;
  readonly issue: ErrorIssue;
}

/**
 * Places incoming records with their pupil (ADR 0017). Per school (the default) a record's school names the
 * pupil: another school's child with the same number is another pupil, so nothing to look up. A record without
 * a school takes the school of the one pupil of that number registered at the caller's schools; with none it is
 * refused exactly as when the number belongs to a school outside the scope (no probing). In a board that declared
 * one shared administration a number names one pupil board-wide: a record for a pupil registered at a school
 * outside the scope is refused, whatever school the record names.
 */
export async function placeRecords(
  directory: PupilDirectory | PupilView,
  scope: BoardScope,
  records: readonly CanonicalRecord[],
  field: (index: number) => string = (index) => `records[${index}].pupil.localId`,
): Promise<{ placed: CanonicalRecord[]; refused: RefusedRecord[] }> {
  const view = 'shared' in directory ? directory : null;
  const shared = view ? view.shared : await (directory as PupilDirectory).sharedAdministration(scope.board);
  const lookup = records.filter((r) => shared || !r.school?.brin).map((r) => r.pupil.localId);
  const byNumber = new Map<string, RegisteredPupilAt[]>();
  const found =
    lookup.length === 0
      ? []
      : view
        ? view.registeredAt(lookup)
        : await (directory as PupilDirectory).registeredAt(scope.board, lookup);
  for (const pupil of found) {
    byNumber.set(pupil.localId, [...(byNumber.get(pupil.localId) ?? []), pupil]);
  }
  const placed: CanonicalRecord[] = [];
  const refused: RefusedRecord[] = [];
  records.forEach((record, index) => {
    const brin = record.school?.brin;
    const known = byNumber.get(record.pupil.localId) ?? [];
    if (brin && !shared) {
      placed.push(record);
      return;
    }
    if (brin) {
      if (known.some((pupil) => !scopeCoversSchool(scope, pupil.school))) {
        refused.push({ index, issue: outOfScope(field(index)) });
      } else {
        placed.push(record);
      }
      return;
    }
    const inScope = known.filter((pupil) => scopeCoversSchool(scope, pupil.school));
    if (inScope.length === 1) {
      placed.push({ ...record, school: { ...(record.school ?? {}), brin: inScope[0].school } });
    } else if (inScope.length > 1) {
      refused.push({
        index,
        issue: {
          field: field(index),
          code: SHARED_ERRORS.PUPIL_AMBIGUOUS,
          message: 'Several of your schools have a pupil with this number; name the school',
        },
      });
    } else {
      refused.push({ index, issue: outOfScope(field(index)) });
    }
  });
  return { placed, refused };
}

function outOfScope(field: string): ErrorIssue {
  return {
    field,
    code: SHARED_ERRORS.PUPIL_OUT_OF_SCOPE,
    message: 'No pupil with this number is registered at a school this token may write for',
  };
}
