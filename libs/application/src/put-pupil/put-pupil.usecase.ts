import {
  type BoardSettingsStore,
  type Clock,
  type Pseudonymise,
  type Pupil,
  type PupilRegistry,
  type PupilRosterStore,
  administrationOf,
} from '#domain';
import type { PutPupilCommand } from './put-pupil.command.js';

/**
 * Creates or replaces a pupil in the registry (BSN encrypted by the store). The pupil is the number in its
 * school's administration (ADR 0017): another school's child with the same number is another pupil, so the
 * answer (201 created) never tells whether another school has one.
 */
export class PutPupilUseCase {
  constructor(
    private readonly pupils: PupilRegistry,
    private readonly pseudonymise: Pseudonymise,
    private readonly clock: Clock,
    /** Without it every school is its own administration (the default). */
    private readonly boards: Pick<BoardSettingsStore, 'get'> = {
      get: (board) =>
        Promise.resolve({ board, sharedAdministration: false, updatedAt: null, updatedBy: null }),
    },
    /** Where name, group and mentor go (ADR 0019); without it a command carrying them is refused. */
    private readonly roster: Pick<PupilRosterStore, 'put'> | null = null,
  ) {}

  async execute(command: PutPupilCommand): Promise<{ created: boolean; pupil: Pupil }> {
    const { board } = command.scope;
    const administration = administrationOf(await this.boards.get(board), command.facts.school);
    const at = this.clock.now();
    const result = await this.pupils.upsert(
      command.scope,
      { administration, localId: command.localId },
      command.facts,
      await this.pseudonymise(board, command.localId, command.facts.school),
      at,
    );
    if (command.roster !== undefined) {
      if (this.roster === null) throw new Error('PutPupilUseCase has no roster store');
      await this.roster.put(board, command.facts.school, command.localId, command.roster, 'api', at);
    }
    return result;
  }
}
