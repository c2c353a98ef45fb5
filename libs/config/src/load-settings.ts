import { isIP } from 'node:net';
import { ConfigurationError } from './configuration-error.js';
import type { FaultInjection, Settings } from './settings.js';

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const FAULTS: readonly FaultInjection[] = ['none', 'exit-before-commit', 'exit-after-commit-before-ack'];
const ALLOWED_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
];

/**
 * Reads and validates every setting. Collects all problems, then throws one ConfigurationError naming
 * the variables (never their values: a URL may hold a password).
 */
/** 512 MiB: a large school's export for a whole year, streamed (never held whole). */
export const INGEST_MAX_BYTES_DEFAULT = 512 * 1024 * 1024;

/** The input limits' defaults (ADR 0013, docs/operations.md). */
export const INPUT_LIMIT_DEFAULTS = {
  jsonMaxDepth: 64,
  itemMaxBytes: 1024 * 1024,
  documentMaxBytes: 64 * 1024 * 1024,
  uploadMemoryBytes: 1024 * 1024,
  uploadIdleTimeoutMs: 30_000,
  ingestConcurrencyPerBoard: 4,
} as const;

/** Host names that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** https, or http on a loopback host (a provider on the developer's own machine). */
function secureUrl(value: string | undefined): URL | null {
  if (value === undefined) return null;
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return url;
  } catch {
    return null;
  }
  return null;
}

function consoleSettings(
  read: (name: string) => string | undefined,
  bool: (name: string, fallback: boolean) => boolean,
  int: (name: string, fallback: number, min: number, max: number) => number,
  localIssuer: boolean,
  problems: string[],
  host: string,
): Settings['console'] {
  const issuer = read('OIDC_ISSUER_URL');
  let oidc: Settings['console']['oidc'] = null;
  if (issuer !== undefined) {
    const missing = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI'].filter(
      (name) => read(name) === undefined,
    );
    if (missing.length > 0) problems.push(`OIDC_ISSUER_URL needs ${missing.join(', ')}`);
    if (secureUrl(issuer) === null) {
      problems.push('OIDC_ISSUER_URL must be an https URL (http only on a loopback host)');
    }
    const redirect = read('OIDC_REDIRECT_URI');
    if (redirect !== undefined && !secureUrl(redirect)?.pathname.endsWith('/auth/callback')) {
      problems.push(
        'OIDC_REDIRECT_URI must be an https URL ending in /auth/callback (http only on loopback)',
      );
    }
    const postLogout = read('OIDC_POST_LOGOUT_REDIRECT_URI');
    if (postLogout !== undefined && secureUrl(postLogout) === null) {
      problems.push('OIDC_POST_LOGOUT_REDIRECT_URI must be an https URL (http only on loopback)');
    }
    oidc = {
      issuerUrl: issuer,
      clientId: read('OIDC_CLIENT_ID') ?? '',
      clientSecret: read('OIDC_CLIENT_SECRET') ?? '',
      redirectUri: redirect ?? '',
      postLogoutRedirectUri: postLogout ?? null,
      scopes: read('OIDC_SCOPES') ?? 'openid profile',
    };
    if (!oidc.scopes.split(/\s+/).includes('openid')) problems.push('OIDC_SCOPES must include openid');
  }
  // Default: on where the demo issuer is, with no real provider, on a loopback HOST (a container listening on
  // 0.0.0.0 keeps its demo tokens but gets no demo sign-in unless asked, and then start-up refuses it).
  const localProvider = bool('OIDC_LOCAL_PROVIDER', localIssuer && oidc === null && isLoopbackHost(host));
  if (localProvider && oidc !== null) {
    problems.push('OIDC_LOCAL_PROVIDER and OIDC_ISSUER_URL exclude each other: sign in through one provider');
  }
  // The demo provider signs anyone in as any role: it must never be reachable from another machine.
  if (localProvider && !isLoopbackHost(host)) {
    problems.push('OIDC_LOCAL_PROVIDER may only run when HOST is a loopback address');
  }
  return {
    localProvider,
    oidc,
    claimsMappingFile: read('OIDC_CLAIMS_MAPPING') ?? null,
    sessionTtlSeconds: int('CONSOLE_SESSION_TTL_SECONDS', 8 * 60 * 60, 60, 7 * 24 * 60 * 60),
    dir: read('CONSOLE_DIR') ?? null,
  };
}

const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: named ranges, addresses and CIDR ranges only (never "everyone"). */
function trustProxy(raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined) return null;
  const entries = raw.split(',').map((entry) => entry.trim());
  const valid = entries.every((entry) => {
    if (TRUST_PROXY_NAMES.includes(entry)) return true;
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return false;
    if (prefix === undefined) return true;
    const bits = Number(prefix);
    return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
  });
  if (!valid) {
    problems.push(
      `TRUST_PROXY must list addresses, CIDR ranges or ${TRUST_PROXY_NAMES.join(', ')}, separated by commas`,
    );
    return null;
  }
  return entries.join(',');
}

export function loadSettings(env: Env): Settings {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max}`);
      return fallback;
    }
    return value;
  };

  const url = (name: string, protocols: readonly string[]): string | null => {
    const raw = read(name);
    if (raw === undefined) return null;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      problems.push(`${name} is not a valid URL (expected ${protocols.map((p) => p + '//…').join(' or ')})`);
      return null;
    }
    if (!protocols.includes(parsed.protocol)) {
      problems.push(`${name} must use ${protocols.join(' or ')}`);
      return null;
    }
    return raw;
  };

  const bool = (name: string, fallback: boolean): boolean => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false`);
    return fallback;
  };

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')}`);
      return fallback;
    }
    return raw as T;
  };

  const oin = (name: string, fallback: string): string => {
    const raw = read(name) ?? fallback;
    if (!/^\d{20}$/.test(raw)) problems.push(`${name} must be an OIN of 20 digits`);
    return raw;
  };
  const namespace = (): string => {
    const raw = read('BROKER_NAMESPACE') ?? 'ketenpoort';
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(raw)) {
      problems.push('BROKER_NAMESPACE must be lower-case letters, digits and dashes (at most 41)');
      return 'ketenpoort';
    }
    return raw;
  };

  const key = (name: string, exactBytes: number | null): Buffer | null => {
    const raw = read(name);
    if (raw === undefined) return null;
    const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
    const fits = exactBytes === null ? bytes.length >= 32 : bytes.length === exactBytes;
    if (!fits) {
      problems.push(
        `${name} must be base64 of ${exactBytes === null ? 'at least 32' : String(exactBytes)} random bytes`,
      );
      return null;
    }
    return bytes;
  };

  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const amqpUrl = url('AMQP_URL', ['amqp:', 'amqps:']);
  const mode = read('DATABASE_URL') === undefined ? 'embedded' : 'production';

  const algorithms = (read('AUTH_ALGORITHMS') ?? 'ES256,RS256,EdDSA').split(',').map((a) => a.trim());
  if (algorithms.some((a) => !ALLOWED_ALGORITHMS.includes(a))) {
    problems.push(`AUTH_ALGORITHMS may only list ${ALLOWED_ALGORITHMS.join(', ')}`);
  }
  const jwksUrl = url('AUTH_JWKS_URL', ['https:', 'http:']);
  const staticKeys = read('AUTH_PUBLIC_KEYS') ?? null;
  const host = read('HOST') ?? '127.0.0.1';
  // The local issuer hands anyone a token for any role: on by default only in embedded mode on a loopback HOST,
  // and refused on any other address whatever else is set (issue 12).
  const localIssuerSet = read('AUTH_LOCAL_ISSUER') !== undefined;
  const localIssuer = bool('AUTH_LOCAL_ISSUER', mode === 'embedded' && isLoopbackHost(host));
  if (localIssuer && !isLoopbackHost(host)) {
    problems.push(
      'AUTH_LOCAL_ISSUER may only run when HOST is a loopback address (it hands out tokens for every role); ' +
        'connect a real identity provider with AUTH_JWKS_URL or AUTH_PUBLIC_KEYS instead',
    );
  } else if (
    !localIssuerSet &&
    mode === 'embedded' &&
    !isLoopbackHost(host) &&
    jwksUrl === null &&
    staticKeys === null
  ) {
    problems.push(
      'HOST is not a loopback address, so the local token issuer stays off: connect a real identity provider ' +
        'with AUTH_JWKS_URL or AUTH_PUBLIC_KEYS (and AUTH_ISSUER, AUTH_AUDIENCE); see docs/operations.md',
    );
  }

  const workerInProcessDefault = amqpUrl === null;
  const workerInProcess = bool('WORKER_IN_PROCESS', workerInProcessDefault) || read('AMQP_URL') === undefined;

  const settings: Settings = {
    mode,
    port: int('PORT', 3000, 0, 65535),
    host,
    databaseUrl,
    amqpUrl,
    brokerNamespace: namespace(),
    dataDir: read('DATA_DIR') ?? './.data',
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    auth: {
      issuer: read('AUTH_ISSUER') ?? 'ketenpoort-local',
      audience: read('AUTH_AUDIENCE') ?? 'ketenpoort',
      algorithms,
      jwksUrl,
      staticKeys,
      localIssuer,
      maxTokenLifetimeSeconds: int('AUTH_MAX_TOKEN_LIFETIME_SECONDS', 12 * 60 * 60, 60, 7 * 24 * 60 * 60),
    },
    http: {
      trustProxy: trustProxy(read('TRUST_PROXY'), problems),
      authFailureLimit: int('AUTH_FAILURE_LIMIT', 20, 0, 1_000_000),
      authFailureWindowSeconds: int('AUTH_FAILURE_WINDOW_SECONDS', 300, 1, 86_400),
      devTokensLimit: int('DEV_TOKENS_LIMIT', 30, 0, 1_000_000),
      devTokensWindowSeconds: int('DEV_TOKENS_WINDOW_SECONDS', 60, 1, 86_400),
    },
    outbox: {
      pollIntervalMs: int('OUTBOX_POLL_MS', 250, 10, 60_000),
      batchSize: int('OUTBOX_BATCH_SIZE', 100, 1, 10_000),
      leaseMs: int('OUTBOX_LEASE_MS', 30_000, 1_000, 3_600_000),
    },
    workerInProcess,
    demoData: bool('DEMO_DATA', mode === 'embedded'),
    ingestMaxBytes: int('INGEST_MAX_BYTES', INGEST_MAX_BYTES_DEFAULT, 1, 16 * 1024 ** 3),
    limits: {
      jsonMaxDepth: int('JSON_MAX_DEPTH', INPUT_LIMIT_DEFAULTS.jsonMaxDepth, 2, 10_000),
      itemMaxBytes: int('INGEST_ITEM_MAX_BYTES', INPUT_LIMIT_DEFAULTS.itemMaxBytes, 1024, 1024 ** 3),
      documentMaxBytes: int(
        'INGEST_DOCUMENT_MAX_BYTES',
        INPUT_LIMIT_DEFAULTS.documentMaxBytes,
        1024,
        2 * 1024 ** 3,
      ),
      uploadMemoryBytes: int('INGEST_MEMORY_BYTES', INPUT_LIMIT_DEFAULTS.uploadMemoryBytes, 0, 1024 ** 3),
      uploadIdleTimeoutMs: int(
        'UPLOAD_IDLE_TIMEOUT_MS',
        INPUT_LIMIT_DEFAULTS.uploadIdleTimeoutMs,
        100,
        3_600_000,
      ),
      ingestConcurrencyPerBoard: int(
        'INGEST_MAX_CONCURRENT_PER_BOARD',
        INPUT_LIMIT_DEFAULTS.ingestConcurrencyPerBoard,
        1,
        1_000,
      ),
    },
    privacy: {
      pupilDataKey: key('PUPIL_DATA_KEY', 32),
      pseudonymKey: key('PUPIL_PSEUDONYM_KEY', null),
      retentionIntervalMs: int('RETENTION_INTERVAL_MS', 86_400_000, 0, 2_147_483_647),
      policyFile: read('PRIVACY_POLICY_FILE') ?? null,
      processor: {
        name: read('REGISTER_PROCESSOR_NAME')?.slice(0, 200) ?? null,
        contact: read('REGISTER_PROCESSOR_CONTACT')?.slice(0, 200) ?? null,
      },
    },
    faultInjection: oneOf('FAULT_INJECTION', FAULTS, 'none'),
    pullSourcesFile: read('PULL_SOURCES_FILE') ?? null,
    rulepackRegionalFile: read('RULEPACK_REGIONAL') ?? null,
    console: consoleSettings(read, bool, int, localIssuer, problems, host),
    delivery: {
      duoEndpointUrl: url('DUO_ENDPOINT_URL', ['https:']),
      duoOin: oin('DUO_OIN', '00000001800866472000'),
      schoolOin: oin('SCHOOL_OIN', '00000001999999990000'),
      duoClientCert: read('DUO_CLIENT_CERT') ?? null,
      duoClientKey: read('DUO_CLIENT_KEY') ?? null,
      duoClientKeyPassphrase: read('DUO_CLIENT_KEY_PASSPHRASE') ?? null,
      duoCa: read('DUO_CA') ?? null,
      duoCodeProfile: read('DUO_CODE_PROFILE') ?? null,
      duoTimeoutMs: int('DUO_TIMEOUT_MS', 30_000, 100, 600_000),
      duoStatusPollMs: int('DUO_STATUS_POLL_MS', 300_000, 0, 86_400_000),
      leerplichtRoutingFile: read('LEERPLICHT_ROUTING') ?? null,
      leerplichtSigningKey: read('LEERPLICHT_SIGNING_KEY') ?? null,
      leerplichtTimeoutMs: int('LEERPLICHT_TIMEOUT_MS', 30_000, 100, 600_000),
      retryBaseMs: int('DELIVERY_RETRY_BASE_MS', 15_000, 1, 86_400_000),
      retryMaxMs: int('DELIVERY_RETRY_MAX_MS', 3_600_000, 1, 604_800_000),
      retryFactor: int('DELIVERY_RETRY_FACTOR', 2, 1, 10),
      maxAttempts: int('DELIVERY_MAX_ATTEMPTS', 12, 1, 100),
      leaseMs: int('DELIVERY_LEASE_MS', 90_000, 100, 3_600_000),
      sweepMs: int('DELIVERY_SWEEP_MS', 1_000, 10, 600_000),
    },
  };
  if (settings.delivery.retryMaxMs < settings.delivery.retryBaseMs) {
    problems.push('DELIVERY_RETRY_MAX_MS must be at least DELIVERY_RETRY_BASE_MS');
  }
  // DUO_ENDPOINT_URL alone is fine: sending parties uploaded through the API bring their own certificates
  // (ADR 0014). The settings identity needs its certificate and its key together.
  if (!settings.delivery.duoClientCert !== !settings.delivery.duoClientKey) {
    problems.push(
      'DUO_CLIENT_CERT and DUO_CLIENT_KEY go together (the settings identity for TLS and signing)',
    );
  }

  if (problems.length > 0) throw new ConfigurationError(problems);
  return settings;
}
