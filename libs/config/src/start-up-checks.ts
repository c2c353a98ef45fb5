import { ConfigurationError } from './configuration-error.js';
import type { Settings } from './settings.js';

export type StartingProcess = 'gateway' | 'worker';

/**
 * Checks a long-running process makes before it opens anything (ADR 0020). The CLI and the test harness do not
 * call this: they may run production-mode commands on a workstation with keys kept in DATA_DIR.
 * - Production mode needs PUPIL_DATA_KEY and PUPIL_PSEUDONYM_KEY: replicas on one database must encrypt BSNs and
 *   derive pseudonyms (and the sending-party key, HKDF of PUPIL_DATA_KEY) with the same keys, which a key file in
 *   one process's DATA_DIR cannot give them.
 * - The gateway needs some verification key, in either mode.
 */
export function startUpProblems(
  settings: Pick<Settings, 'mode' | 'privacy' | 'auth'>,
  process: StartingProcess,
): string[] {
  const problems: string[] = [];
  if (settings.mode === 'production') {
    const missing = [
      settings.privacy.pupilDataKey === null ? 'PUPIL_DATA_KEY' : null,
      settings.privacy.pseudonymKey === null ? 'PUPIL_PSEUDONYM_KEY' : null,
    ].filter((name): name is string => name !== null);
    if (missing.length > 0) {
      problems.push(
        `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required in production mode (DATABASE_URL set): ` +
          'every replica must use the same keys, so none is made up in DATA_DIR (ADR 0020)',
      );
    }
  }
  if (
    process === 'gateway' &&
    !settings.auth.localIssuer &&
    settings.auth.jwksUrl === null &&
    settings.auth.staticKeys === null
  ) {
    problems.push(
      "No verification keys: set AUTH_JWKS_URL or AUTH_PUBLIC_KEYS to the identity provider's keys " +
        '(AUTH_LOCAL_ISSUER only on a loopback HOST)',
    );
  }
  return problems;
}

/** Throws one ConfigurationError (exit 78) listing every start-up problem. */
export function assertStartable(
  settings: Pick<Settings, 'mode' | 'privacy' | 'auth'>,
  process: StartingProcess,
): void {
  const problems = startUpProblems(settings, process);
  if (problems.length > 0) throw new ConfigurationError(problems);
}
