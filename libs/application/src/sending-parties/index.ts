export { PutSendingPartyCommand, SENDING_PARTY_ID, requireBoardAdmin } from './put-sending-party.command.js';
export {
  PutSendingPartyUseCase,
  SendingPartiesUseCase,
  type SendingPartyView,
  viewOf as sendingPartyView,
} from './sending-parties.usecase.js';
export { SendingPartyFieldSource } from './sending-party-fields.js';
