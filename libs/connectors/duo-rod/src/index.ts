/** DUO ROD connector: see ../README.md, docs/duo-rod-message.md and docs/duo-spec-gaps.md. */
export const DUO_ROD_CONNECTOR = 'duo-rod';
export {
  type DuoProfile,
  type DuoErrorClass,
  DUO_ERROR_RETRYABLE,
  DUO_PROFILES,
  IBG_VSV_2_PROFILE,
  IBG_VSV_2_PROFILE_ID,
  classifyFoutcode,
  kindCode,
} from './profile.js';
export {
  BASE64_BINARY,
  DS_NS,
  EXC_C14N,
  OIN_ADDRESS_PREFIX,
  RSA_SHA256,
  SHA256,
  SOAP_NS,
  WSA_NS,
  WSSE_NS,
  WSU_NS,
  X509V3,
} from './namespaces.js';
export {
  type DuoMessageOptions,
  documentIdFor,
  formatDuoMessage,
  formatStatusRequest,
  messageIdFor,
} from './format.js';
export { type DuoSigningKey, leafPem, prepareSigningKey } from './wss-sign.js';
export {
  type AnswerCheck,
  type DuoAnswer,
  type StatusAnswer,
  oinOf,
  parseDuoAnswer,
  parseStatusAnswer,
  pemCertificates,
} from './answers.js';
export { describe as describeCertificate, readCertificateBundle } from './certificate-bundle.js';
export { DuoRodConnector, type DuoRodConnectorOptions, type DuoTlsMaterial } from './duo-rod.connector.js';
