/** The typed settings of every ketenpoort process, validated once at start-up. */
export type Mode = 'embedded' | 'production';
export type FaultInjection = 'none' | 'exit-before-commit' | 'exit-after-commit-before-ack';

export interface Settings {
  /** embedded when DATABASE_URL is unset. */
  readonly mode: Mode;
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | null;
  readonly amqpUrl: string | null;
  /** Prefix of exchange and queue names, so several environments can share one RabbitMQ vhost. */
  readonly brokerNamespace: string;
  readonly dataDir: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly auth: {
    readonly issuer: string;
    readonly audience: string;
    /** JWS algorithms accepted; anything else (including `none`) is refused. */
    readonly algorithms: readonly string[];
    readonly jwksUrl: string | null;
    /** Static verification keys: a JWKS document (JSON) or PEM public keys. */
    readonly staticKeys: string | null;
    /** Embedded: a local issuer signs demo tokens with a key kept in DATA_DIR (loopback HOST only). */
    readonly localIssuer: boolean;
    /**
     * AUTH_MAX_TOKEN_LIFETIME_SECONDS: the longest lifetime (exp - iat) of any accepted token, external identity
     * providers' included; a token without iat, or expiring further ahead than this, is refused (default 12 hours).
     */
    readonly maxTokenLifetimeSeconds: number;
  };
  /** HTTP hygiene of the gateway (issue 12, docs/operations.md "Limits"). */
  readonly http: HttpSettings;
  readonly outbox: {
    readonly pollIntervalMs: number;
    readonly batchSize: number;
    readonly leaseMs: number;
  };
  /** Run the queue consumers inside the gateway process (always true when the broker is in-process). */
  readonly workerInProcess: boolean;
  /** Load the demo school board on start (embedded default). */
  readonly demoData: boolean;
  /** Largest `POST /v1/ingest/{system}` body in bytes (INGEST_MAX_BYTES), counted as the body streams in. */
  readonly ingestMaxBytes: number;
  /** Bounded input on every entry point (ADR 0013; docs/operations.md, "Limits"). */
  readonly limits: InputLimits;
  readonly privacy: {
    /** AES-256-GCM key for BSNs at rest (PUPIL_DATA_KEY, base64 of 32 bytes); null: key file in DATA_DIR. */
    readonly pupilDataKey: Buffer | null;
    /** HMAC-SHA256 key for pupil pseudonyms (PUPIL_PSEUDONYM_KEY, base64, ≥ 32 bytes); null: key file in DATA_DIR. */
    readonly pseudonymKey: Buffer | null;
    /** How often the retention job runs (RETENTION_INTERVAL_MS, default daily); 0 switches it off. */
    readonly retentionIntervalMs: number;
    /**
     * The policy that applies where a board has no approved version in force (PRIVACY_POLICY_FILE, a path);
     * null: the shipped `config/privacy/default.policy.yaml`. Proven at start-up; failing: exit 78.
     */
    readonly policyFile: string | null;
    /**
     * Who hosts this ketenpoort, for the processor's verwerkingsregister (REGISTER_PROCESSOR_NAME,
     * REGISTER_PROCESSOR_CONTACT; ADR 0025); absent or null: shown as not configured.
     */
    readonly processor?: { readonly name: string | null; readonly contact: string | null };
  };
  /** Test-only crash points for the worker's crash-safety tests. */
  readonly faultInjection: FaultInjection;
  /** YAML/JSON file listing the school-system APIs to pull from (`loadPullSources`); null: no pulls. */
  readonly pullSourcesFile: string | null;
  /** A regional rulepack laid over the shipped national pack (RULEPACK_REGIONAL, a file path); null: national only. */
  readonly rulepackRegionalFile: string | null;
  /** Outbound delivery of approved reports (ADR 0011, docs/delivery.md). */
  readonly delivery: DeliverySettings;
  /** The web console and its sign-in (ADR 0015, ADR 0016, docs/console/). */
  readonly console: ConsoleSettings;
}

/** What one request may cost, whoever sends it (ADR 0013). */
export interface InputLimits {
  /** JSON_MAX_DEPTH: deepest nesting of objects and arrays in any JSON body (default 64). */
  readonly jsonMaxDepth: number;
  /** INGEST_ITEM_MAX_BYTES: largest single item of a streamed ingest payload, in characters (default 1 MiB). */
  readonly itemMaxBytes: number;
  /**
   * INGEST_DOCUMENT_MAX_BYTES: largest payload of a format that is read whole (XML, CSV exports read at once),
   * in bytes (default 64 MiB); a streamed format is bounded per item instead.
   */
  readonly documentMaxBytes: number;
  /** INGEST_MEMORY_BYTES: what one upload keeps in memory; the rest is spooled to `DATA_DIR/tmp` (default 1 MiB). */
  readonly uploadMemoryBytes: number;
  /** UPLOAD_IDLE_TIMEOUT_MS: an upload that sends nothing for this long is cut with 408 (default 30 s). */
  readonly uploadIdleTimeoutMs: number;
  /** INGEST_MAX_CONCURRENT_PER_BOARD: ingests of one school board at a time; more get 429 (default 4). */
  readonly ingestConcurrencyPerBoard: number;
}

/** A real identity provider the gateway signs people in with (OpenID Connect, authorisation code + PKCE). */
export interface OidcClientSettings {
  /** OIDC_ISSUER_URL: the provider's issuer (discovery at `/.well-known/openid-configuration`). */
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** OIDC_REDIRECT_URI: this gateway's `/auth/callback` as the provider knows it. */
  readonly redirectUri: string;
  /** OIDC_POST_LOGOUT_REDIRECT_URI: where the provider sends people after signing out; null: none. */
  readonly postLogoutRedirectUri: string | null;
  /** OIDC_SCOPES: asked for at sign-in. */
  readonly scopes: string;
}

export interface ConsoleSettings {
  /**
   * OIDC_LOCAL_PROVIDER: a local OpenID Connect provider with demo users, mounted at `/oidc` on this loopback
   * gateway (default: on where AUTH_LOCAL_ISSUER is, and no OIDC_ISSUER_URL).
   */
  readonly localProvider: boolean;
  /** The production identity provider; null when none is configured. */
  readonly oidc: OidcClientSettings | null;
  /** OIDC_CLAIMS_MAPPING: the claims-mapping table (YAML); null: `config/auth/claims-mapping.yaml`. */
  readonly claimsMappingFile: string | null;
  /** CONSOLE_SESSION_TTL_SECONDS: how long a console session lasts (default 8 hours). */
  readonly sessionTtlSeconds: number;
  /** CONSOLE_DIR: the built console; null: `dist/console` of this installation. */
  readonly dir: string | null;
}

/** Where approved reports go and how hard ketenpoort tries (docs/delivery.md). */
export interface DeliverySettings {
  /** DUO's ROD endpoint (DUO_ENDPOINT_URL, https); null: no DUO connector, DUO deliveries wait and retry. */
  readonly duoEndpointUrl: string | null;
  /** DUO's OIN (DUO_OIN). UNCONFIRMED default 00000001800866472000; the chain simulator answers to the same. */
  readonly duoOin: string;
  /**
   * The settings identity's OIN (SCHOOL_OIN), in wsa:From; must match the client certificate's serialNumber. The
   * single-board shortcut: boards with sending parties of their own (ADR 0014) never use it.
   */
  readonly schoolOin: string;
  /**
   * The settings identity's certificate and RSA key (TLS and the message signature), and the CA of DUO's server
   * certificate and answer signatures: file paths or PEM text.
   */
  readonly duoClientCert: string | null;
  readonly duoClientKey: string | null;
  readonly duoClientKeyPassphrase: string | null;
  readonly duoCa: string | null;
  /** The DUO message profile (DUO_CODE_PROFILE); null: ibg-vsv-2. */
  readonly duoCodeProfile: string | null;
  readonly duoTimeoutMs: number;
  /** How often DUO is asked for status changes (DUO_STATUS_POLL_MS); 0 switches it off. */
  readonly duoStatusPollMs: number;
  /** The leerplicht routing table (LEERPLICHT_ROUTING, a YAML/JSON file); default: the shipped table. */
  readonly leerplichtRoutingFile: string | null;
  /** ES256 key ketenpoort signs leerplicht reports with (LEERPLICHT_SIGNING_KEY: a PKCS#8 PEM or a file); null: a key kept in DATA_DIR. */
  readonly leerplichtSigningKey: string | null;
  readonly leerplichtTimeoutMs: number;
  /** The retry schedule (exponential backoff with jitter). */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly retryFactor: number;
  readonly maxAttempts: number;
  /** How long one attempt may hold a delivery before another dispatcher takes it over. */
  readonly leaseMs: number;
  /** How often due deliveries are looked for (retries, crashed attempts). */
  readonly sweepMs: number;
}

/** Proxies, rate limits: what the gateway's HTTP layer needs beyond routing. */
export interface HttpSettings {
  /**
   * TRUST_PROXY: the proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (Express `trust proxy`: a
   * comma-separated list of addresses, CIDR ranges or `loopback`, `linklocal`, `uniquelocal`); null: none. HSTS is
   * only sent when such a proxy says the request came over TLS.
   */
  readonly trustProxy: string | null;
  /** AUTH_FAILURE_LIMIT: failed authentications per client address per window before 429 (0: no limit). */
  readonly authFailureLimit: number;
  /** AUTH_FAILURE_WINDOW_SECONDS: the window of AUTH_FAILURE_LIMIT, and how long a client stays blocked. */
  readonly authFailureWindowSeconds: number;
  /** DEV_TOKENS_LIMIT: calls of `/v1/dev/tokens` per client address per window (0: no limit). */
  readonly devTokensLimit: number;
  /** DEV_TOKENS_WINDOW_SECONDS: the window of DEV_TOKENS_LIMIT. */
  readonly devTokensWindowSeconds: number;
}
