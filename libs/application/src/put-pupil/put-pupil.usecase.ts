import type { Clock, Pseudonymise, Pupil, PupilRegistry } from '#domain';
import type { PutPupilCommand } from './put-pupil.command.js';

/** Creates or replaces a pupil in the registry (BSN encrypted by the store). */
export class PutPupilUseCase {
  constructor(
    private readonly pupils: PupilRegistry,
    private readonly pseudonymise: Pseudonymise,
    private readonly clock: Clock,
  ) {}

  async execute(command: PutPupilCommand): Promise<{ created: boolean; pupil: Pupil }> {
    return this.pupils.upsert(
      command.scope,
      command.localId,
      command.facts,
      this.pseudonymise(command.scope.board, command.localId),
      this.clock.now(),
    );
  }
}
