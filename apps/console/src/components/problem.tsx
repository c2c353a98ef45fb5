import { ApiError } from '../api/client.js';
import { errorText } from '../labels/labels.js';

/** An error as a Dutch sentence that says what to do (never a code). */
export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof ApiError ? error.message : errorText(undefined);
  return (
    <div className="utrecht-alert utrecht-alert--error" role="alert">
      <div className="utrecht-alert__content">
        <p className="utrecht-paragraph">{text}</p>
        {error instanceof ApiError && error.detail && <p className="utrecht-paragraph">{error.detail}</p>}
      </div>
    </div>
  );
}

export function Notice({
  children,
  kind = 'info',
}: {
  children: React.ReactNode;
  kind?: 'info' | 'ok' | 'warning';
}) {
  return (
    <div className={`utrecht-alert utrecht-alert--${kind}`} role="status">
      <div className="utrecht-alert__content">{children}</div>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="utrecht-paragraph kp-loading" role="status">
      {what} laden…
    </p>
  );
}
