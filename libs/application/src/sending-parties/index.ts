export {
  PutSendingPartyCommand,
  SENDING_PARTY_ID,
  type SendingPartyUpload,
  parseSendingPartyUpload,
  requireBoardAdmin,
} from './put-sending-party.command.js';
export { PutSendingPartyUseCase } from './put-sending-party.usecase.js';
export { SendingPartiesUseCase } from './sending-parties.usecase.js';
export { type SendingPartyView, viewOf as sendingPartyView } from './sending-party-view.js';
export { SendingPartyFieldSource } from './sending-party-fields.js';
