// Sessions of people signed in to the console (the gateway is the OIDC client, ADR 0016). The browser holds
// only an opaque random token in an HttpOnly cookie; the store keeps its hash, so a leaked table cannot be
// replayed as cookies.

/** `pending`: a sign-in on its way through the identity provider; `active`: a signed-in person. */
export type ConsoleSessionKind = 'pending' | 'active';

/** What a pending sign-in remembers until the identity provider sends the person back (PKCE, state, nonce). */
export interface PendingSignIn {
  readonly codeVerifier: string;
  readonly state: string;
  readonly nonce: string;
  /** A path on this origin to return to after sign-in (never an absolute URL). */
  readonly returnTo: string;
  /** The redirect URI used for this sign-in (the token request must repeat it). */
  readonly redirectUri: string;
}

export interface ConsoleSession {
  /** SHA-256 (hex) of the cookie token. */
  readonly id: string;
  readonly kind: ConsoleSessionKind;
  /** The actor claims (role, subject, scope) the claims mapping made; null while pending. */
  readonly actor: Readonly<Record<string, unknown>> | null;
  /** A display name from the identity provider, if it gave one. */
  readonly name: string | null;
  /** Sent back by the console in `X-CSRF-Token` on every state-changing call; null while pending. */
  readonly csrfToken: string | null;
  readonly pending: PendingSignIn | null;
  /** The ID token, kept only as `id_token_hint` for signing out at the provider. */
  readonly idToken: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export const CONSOLE_SESSION_STORE = Symbol('ConsoleSessionStore');
/** Server-side console sessions, in PostgreSQL so several gateway replicas share them. */
export interface ConsoleSessionStore {
  create(session: ConsoleSession): Promise<void>;
  /** The session with this id if it has not expired at `at`. */
  find(id: string, at: Date): Promise<ConsoleSession | null>;
  /** Deletes the session; true when there was one (a pending sign-in is used once). */
  delete(id: string): Promise<boolean>;
  /** Removes sessions expired at `at`; returns how many. */
  deleteExpired(at: Date): Promise<number>;
}
