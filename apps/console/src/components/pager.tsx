import { Button } from '@utrecht/button-react';

/** Previous / next with the position, for any paged list. */
export function Pager(props: {
  page: number;
  pageSize: number;
  total: number;
  what: string;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  if (pages <= 1) return null;
  return (
    <nav className="kp-actions" aria-label={`Pagina's van ${props.what}`}>
      <Button
        appearance="secondary-action-button"
        disabled={props.page <= 1}
        onClick={() => props.onPage(props.page - 1)}
      >
        Vorige pagina
      </Button>
      <span className="utrecht-paragraph" aria-live="polite">
        Pagina {props.page} van {pages}
      </span>
      <Button
        appearance="secondary-action-button"
        disabled={props.page >= pages}
        onClick={() => props.onPage(props.page + 1)}
      >
        Volgende pagina
      </Button>
    </nav>
  );
}
