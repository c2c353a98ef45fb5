import { type Actor, type Clock, NotFoundError, type SendingPartyStore } from '#domain';
import { requireBoardAdmin } from './put-sending-party.command.js';
import { type SendingPartyView, viewOf, audit } from './sending-party-view.js';
import { SENDING_PARTIES_ERRORS } from './sending-parties-error-codes.js';

/** The board's sending parties, one party, and its removal (board administrators only). */
export class SendingPartiesUseCase {
  constructor(
    private readonly store: SendingPartyStore,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor): Promise<{ readonly items: SendingPartyView[] }> {
    const { board } = requireBoardAdmin(actor);
    const now = this.clock.now();
    return { items: (await this.store.list(board)).map((p) => viewOf(p, now)) };
  }

  async get(actor: Actor, id: string): Promise<SendingPartyView> {
    const { board } = requireBoardAdmin(actor);
    const party = await this.store.get(board, id);
    if (party === null)
      throw new NotFoundError(
        SENDING_PARTIES_ERRORS.SENDING_PARTY_NOT_FOUND,
        'No such sending party in your board',
      );
    return viewOf(party, this.clock.now());
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const { board, subject } = requireBoardAdmin(actor);
    const removed = await this.store.remove(
      board,
      id,
      [audit(board, { action: 'REMOVED', party: id, by: subject })],
      this.clock.now(),
    );
    if (!removed)
      throw new NotFoundError(
        SENDING_PARTIES_ERRORS.SENDING_PARTY_NOT_FOUND,
        'No such sending party in your board',
      );
  }
}
