/** The evaluate endpoint's use case: the gateway always has a rules engine (the shipped rulepacks by default). */
export const EVALUATE_SIGNALS = Symbol('EvaluateSignals');
