import { Button } from '@utrecht/button-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { Textbox } from '@utrecht/textbox-react';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { type PupilSearchHit, usePupilSearch } from '../../api/privacy-audit.js';
import { Loading, Problem } from '../../components/problem.js';

/**
 * Finds one of the board's pupils by name or number (the search of ADR 0019; a privacy officer searches the
 * whole board, ADR 0024). Each hit is a link (`to`), so picking one is a plain navigation.
 */
export function PupilFinder(props: { label: string; to: (hit: PupilSearchHit) => string; initial?: string }) {
  const id = useId();
  const [draft, setDraft] = useState(props.initial ?? '');
  const [q, setQ] = useState(props.initial ?? '');
  const search = usePupilSearch(q);
  return (
    <section className="kp-no-print" aria-labelledby={`${id}-kop`}>
      <h2 className="utrecht-heading-2" id={`${id}-kop`}>
        {props.label}
      </h2>
      <form
        className="kp-filters"
        role="search"
        aria-label={props.label}
        onSubmit={(event) => {
          event.preventDefault();
          setQ(draft.trim());
        }}
      >
        <FormField type="text">
          <div className="utrecht-form-field__label">
            <FormLabel htmlFor={id}>Naam of leerlingnummer</FormLabel>
          </div>
          <div className="utrecht-form-field__input">
            <Textbox
              id={id}
              name="q"
              value={draft}
              maxLength={100}
              autoComplete="off"
              onChange={(e) => setDraft(e.target.value)}
            />
          </div>
        </FormField>
        <div className="kp-actions">
          <Button type="submit" appearance="primary-action-button">
            Zoeken
          </Button>
        </div>
      </form>
      {q !== '' && search.isPending && <Loading what="Leerlingen" />}
      {search.isError && <Problem error={search.error} />}
      {search.data && (
        <div role="status">
          {search.data.items.length === 0 ? (
            <p className="utrecht-paragraph">
              Geen leerling van uw bestuur gevonden met deze naam of dit nummer.
            </p>
          ) : (
            <ul className="utrecht-unordered-list" aria-label="Gevonden leerlingen">
              {search.data.items.map((hit) => (
                <li key={`${hit.school}/${hit.localId}`}>
                  <Link className="utrecht-link" to={props.to(hit)}>
                    {hit.displayName ?? `Leerling ${hit.localId}`}
                  </Link>{' '}
                  — leerlingnummer {hit.localId}, school {hit.school}
                  {hit.group ? `, groep of klas ${hit.group}` : ''}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
