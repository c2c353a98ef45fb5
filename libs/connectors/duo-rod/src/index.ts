/** DUO ROD connector: see ../README.md and docs/duo-rod-message.md. */
export const DUO_ROD_CONNECTOR = 'duo-rod';
export {
  type DuoProfile,
  type DuoErrorClass,
  DUO_ERROR_RETRYABLE,
  LEGACY_2010_PROFILE,
  LEGACY_2010_PROFILE_ID,
  classifyFoutcode,
  kindCode,
} from './profile.js';
export {
  type DuoMessageOptions,
  DUO_OPERATIONS,
  OIN_ADDRESS_PREFIX,
  SOAP_NS,
  WSA_NS,
  formatDuoMessage,
  formatStatusRequest,
  messageIdFor,
} from './format.js';
export { type DuoAnswer, type StatusAnswer, parseDuoAnswer, parseStatusAnswer } from './answers.js';
export { DuoRodConnector, type DuoRodConnectorOptions, type DuoTlsMaterial } from './duo-rod.connector.js';
