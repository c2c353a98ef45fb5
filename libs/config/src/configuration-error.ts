/** Thrown at start-up when settings are invalid. Its message names variables, never values. */
export class ConfigurationError extends Error {
  readonly code = 'CONFIGURATION_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}
