/** `null` when no rules engine is wired: the evaluate endpoint answers 503 SIGNALS_UNAVAILABLE. */
export const EVALUATE_SIGNALS = Symbol('EvaluateSignals');
