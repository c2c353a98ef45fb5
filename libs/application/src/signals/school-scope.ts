import { type Access, type Actor, NotFoundError, requireBoardScope } from '#domain';

/**
 * The board of an actor that may touch this school. A school outside the token's schools looks like a school
 * that does not exist (404), as records of another board do.
 */
export function schoolInScope(
  actor: Actor,
  access: Access,
  school: string,
): { board: string; school: string } {
  const scope = requireBoardScope(actor, access);
  if (scope.schools !== null && !scope.schools.includes(school)) {
    throw new NotFoundError('SCHOOL_NOT_FOUND', 'This school is not in your scope');
  }
  return { board: scope.board, school };
}
