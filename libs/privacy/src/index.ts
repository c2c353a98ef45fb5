export { parsePolicy } from './parse-policy.js';
export {
  readLocatedYaml,
  yamlPathText,
  type LocatedYaml,
  type YamlPathSegment,
  type YamlPosition,
  type YamlSyntaxError,
} from './yaml-locate.js';
export { decide, type DecideOptions } from './decide.js';
export { release, ReleasedPayload, type Release } from './released-payload.js';
export { verifyInvariants, invariantDomain, type InvariantDomain } from './invariants.js';
export { STATUTORY_INVARIANTS, STATUTORY_INVARIANT_IDS, type StatutoryInvariant } from './floor.js';
export {
  provePolicy,
  type InvariantSource,
  type PolicyProof,
  type ProofFailure,
  type ProvenInvariant,
} from './prove.js';
export { diffPolicies, type DomainChange, type DomainDiff } from './diff.js';
export { retentionPeriod } from './retention.js';
export { effectiveVersionAt, type PolicyVersionWindow } from './lifecycle.js';
export { parseDisclosureRequest } from './disclosure-request.js';
export { POLICY_SCHEMA } from './policy-schema.js';
export {
  CONSENT_CONDITIONS,
  DEFAULT_DENY,
  LEGAL_GROUNDS,
  POLICY_NOT_EFFECTIVE,
  UNKNOWN_FIELD,
  type ConsentCondition,
  type InvariantCounterexample,
  type InvariantNever,
  type InvariantResult,
  type LegalGround,
  type Policy,
  type PolicyInvariant,
  type PolicyProblem,
  type PolicyRule,
  type PurposeDefinition,
  type RecipientDefinition,
  type RetentionSection,
  type RuleConditions,
  type RuleObligations,
} from './policy.types.js';
export { policyOverview, durationInWords, type PolicyOverview, type PolicyFlow } from './overview.js';
export {
  ANY_PURPOSE,
  BASIS_TEXT,
  DATA_CATEGORY_NAMES,
  NO_TRANSFERS,
  SECURITY_MEASURES,
  controllerRegister,
  processorRegister,
  registerCsv,
  registerRecipients,
  type ControllerRegister,
  type ProcessorRegister,
  type RegisterInput,
  type RegisterPurpose,
  type RegisterRecipient,
  type RegisterSource,
  type SourceChannel,
} from './register.js';
export {
  amsterdamMonth,
  expiryOf,
  retentionForecast,
  type ForecastInput,
  type RetentionForecast,
} from './forecast.js';
