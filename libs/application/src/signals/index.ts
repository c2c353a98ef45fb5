export * from './evaluate-signals.usecase.js';
export * from './list-signals.usecase.js';
export * from './report-fields.js';
export * from './rulepack-evaluator.js';
