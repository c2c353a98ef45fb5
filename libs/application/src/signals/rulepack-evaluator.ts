import type { SignalEvaluator } from '#domain';
import { type Rulepack, evaluatePupil } from '#signals';

/**
 * The `SignalEvaluator` port over the rules engine of `#signals`, with one rulepack (national, or national with a
 * regional pack on top: `loadRulepack`) bound inside. Pure and deterministic, like the engine itself.
 */
export class RulepackSignalEvaluator implements SignalEvaluator {
  constructor(readonly rulepack: Rulepack) {}

  evaluatePupil(
    input: Parameters<SignalEvaluator['evaluatePupil']>[0],
  ): ReturnType<SignalEvaluator['evaluatePupil']> {
    return evaluatePupil({ ...input, rulepack: this.rulepack });
  }
}
