import {
  type Actor,
  type BoardSettings,
  type BoardSettingsStore,
  type Clock,
  ValidationError,
  requireRole,
} from '#domain';
import { BOARD_SETTINGS_ERRORS } from './board-settings-error-codes.js';

/**
 * The board's declaration about its pupil numbers (ADR 0017): by default every school is its own administration
 * (two schools' children with one number are two pupils); a board whose schools share one administration says
 * so here. Board administrators change it; privacy officers may read it.
 */
export class BoardSettingsUseCase {
  constructor(
    private readonly store: BoardSettingsStore,
    private readonly clock: Clock,
  ) {}

  async get(actor: Actor): Promise<BoardSettings> {
    requireRole(
      actor,
      ['board_admin', 'privacy_officer'],
      'Only a board administrator or privacy officer reads this',
    );
    return this.store.get(actor.board);
  }

  async put(actor: Actor, change: BoardSettingsChange): Promise<BoardSettings> {
    requireRole(actor, ['board_admin'], 'Only a board administrator changes the board settings');
    return this.store.save(actor.board, change.sharedAdministration, actor.subject, this.clock.now());
  }
}

/** What a board administrator declares (`PUT /v1/board/settings`). */
export interface BoardSettingsChange {
  readonly sharedAdministration: boolean;
}

/** A board-settings body `{ sharedAdministration: boolean }` and nothing else; else `BOARD_SETTINGS_INVALID`. */
export function parseBoardSettingsChange(body: unknown): BoardSettingsChange {
  const value = (body ?? {}) as Record<string, unknown>;
  const unknownKeys =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? Object.keys(value).filter((key) => key !== 'sharedAdministration')
      : [];
  if (
    typeof body !== 'object' ||
    body === null ||
    Array.isArray(body) ||
    typeof value['sharedAdministration'] !== 'boolean' ||
    unknownKeys.length > 0
  ) {
    throw new ValidationError(
      BOARD_SETTINGS_ERRORS.BOARD_SETTINGS_INVALID,
      'The board settings were refused',
      [
        typeof value['sharedAdministration'] !== 'boolean'
          ? {
              field: 'sharedAdministration',
              code: BOARD_SETTINGS_ERRORS.INVALID_TYPE,
              message: 'true or false',
            }
          : {
              field: unknownKeys[0] ?? 'body',
              code: BOARD_SETTINGS_ERRORS.UNKNOWN_FIELD,
              message: 'not a board setting',
            },
      ],
    );
  }
  return { sharedAdministration: value['sharedAdministration'] };
}
