export { type HolidaySpan, CalendarIndex, indexCalendar } from './calendar-index.js';
export { addWorkingDays, ageOn, dateOf, dayNumber, isValidDate } from './dates.js';
export {
  type EvaluateInput,
  type EvaluateOutcome,
  type EvaluatePupilInput,
  compareSignals,
  evaluate,
  evaluateDetailed,
  evaluatePupil,
} from './evaluate.js';
export { type ChangedSignal, type IncrementalChanges, IncrementalEvaluator } from './incremental.js';
export {
  type LatenessStep,
  type RuleConfig,
  type RuleSettings,
  type Rulepack,
  RULE_DEFAULTS,
  loadRulepack,
  parseRulepack,
  ruleConfig,
  validateRulepack,
} from './rulepack.js';
