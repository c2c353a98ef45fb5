// The public API of #normalisation: pure functions from source records to canonical records.
export {
  type ReasonMapping,
  type ReasonMappingEntry,
  normaliseReasonCode,
  parseReasonMapping,
} from './reason-mapping.js';
export { type Categorisation, type MappingSource, categorise } from './categorise.js';
export { type BellSlot, MAX_LESSON_HOUR, MIN_LESSON_HOUR, parseBellSchedule } from './bell-schedule.js';
export {
  MAX_SPAN_DAYS,
  NormaliseCarry,
  type NormaliseContext,
  type NormaliseOutput,
  PageLinks,
  finishBatches,
  normalise,
} from './normalise.js';
export { localDateOf, toLocalIso } from './amsterdam-time.js';
