import { errorText } from '../labels/labels.js';

/** A problem+json answer of the API (ADR 0004), with the Dutch sentence the console shows for its code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly issues: readonly { field: string; code: string; message: string }[] = [],
    /** The server's own Dutch explanation, where it gives one (e.g. why a status move is refused). */
    readonly detail: string | null = null,
  ) {
    super(errorText(code));
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;

/** The session's CSRF token, repeated on every state-changing call (ADR 0016). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
export function currentCsrfToken(): string | null {
  return csrfToken;
}

async function problemOf(response: Response): Promise<ApiError> {
  let code = response.status === 404 ? 'NOT_FOUND' : 'HTTP_ERROR';
  let issues: ApiError['issues'] = [];
  let detail: string | null = null;
  try {
    const body = (await response.json()) as { code?: unknown; issues?: unknown; detail?: unknown };
    if (typeof body.code === 'string') code = body.code;
    if (Array.isArray(body.issues)) issues = body.issues as ApiError['issues'];
    if (typeof body.detail === 'string') detail = body.detail.slice(0, 500);
  } catch {
    // Not a problem body (a proxy's page): the status decides.
  }
  return new ApiError(response.status, code, issues, detail);
}

/** Calls the API on this origin with the session cookie; throws ApiError for every non-2xx answer. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR');
  }
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as T;
}

/**
 * Uploads a file with upload progress (fetch reports none; XMLHttpRequest does). Resolves with the JSON answer.
 */
export function upload<T>(
  path: string,
  file: Blob,
  contentType: string,
  onProgress: (fraction: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR'));
    xhr.onload = () => {
      let body: { code?: string; issues?: ApiError['issues'] } & Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        body = {};
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
      } else {
        reject(new ApiError(xhr.status, body.code ?? 'HTTP_ERROR', body.issues ?? []));
      }
    };
    xhr.send(file);
  });
}
