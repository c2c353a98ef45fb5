/** The DUO register (ROD) stand-in: see README.md and docs/duo-rod-message.md. */
export {
  createDuoRegister,
  NO_MISBEHAVIOUR,
  REGISTER_STATUSES,
  type DuoMisbehaviour,
  type DuoRegister,
  type DuoRegisterOptions,
  type DuoRegisterStats,
  NO_D_FROM,
  type ReceivedMessage,
  type RegisterStatus,
  type RegisteredReport,
  type StatusChangeRequest,
  type StatusEvent,
} from './register.js';
export {
  DUO_ADMIN_PREFIX,
  DUO_SOAP_PATH,
  startDuoServer,
  type DuoServer,
  type DuoServerOptions,
} from './server.js';
export { REGISTER_PROFILE, SCHEMA_FILE, isBsn, isOnderwijsnummer } from './validate.js';
export { SecurityFault, type AnswerSigning, verifySecurity } from './wss.js';
