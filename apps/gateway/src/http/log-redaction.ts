/** Path segments that follow one of these carry a pupil's id (`/v1/pupils/{localId}/…`). */
const PUPIL_COLLECTIONS = new Set(['pupils']);

/**
 * The path as request logs and error logs may show it: the query string dropped (it may carry identifiers) and
 * every pupil id replaced by `:localId`, so logs never name a pupil (issue 12). Unknown paths are redacted the
 * same way, whatever a caller typed after `pupils/`.
 */
export function redactPath(url: string): string {
  const path = url.split('?')[0] ?? '';
  const segments = path.split('/');
  return segments
    .map((segment, index) =>
      index > 0 && PUPIL_COLLECTIONS.has(decoded(segments[index - 1] ?? '')) && segment !== ''
        ? ':localId'
        : segment,
    )
    .join('/');
}

/** Express matches routes case-insensitively and callers may percent-encode: compare the decoded lower case. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment).toLowerCase();
  } catch {
    return segment.toLowerCase();
  }
}
