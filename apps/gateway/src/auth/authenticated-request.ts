import type { Actor } from '#domain';

/** The part of an HTTP request the auth layer reads and writes; `actor` is set by AuthGuard. */
export interface AuthenticatedRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly method?: string;
  readonly socket?: { readonly localPort?: number };
  actor?: Actor;
}
