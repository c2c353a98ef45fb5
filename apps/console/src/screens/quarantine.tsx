import { Button } from '@utrecht/button-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client.js';
import { keys, useUnmapped } from '../api/queries.js';
import type { PutReasonMappingResult, StoredReasonMapping, UnmappedReason } from '../api/types.js';
import { SelectField } from '../components/fields.js';
import { PageHeading } from '../components/page-heading.js';
import { Loading, Notice, Problem } from '../components/problem.js';
import { formatDate } from '../labels/format.js';
import { CATEGORY_LABELS, SOURCE_SYSTEM_LABELS, label } from '../labels/labels.js';

const CATEGORY_OPTIONS = [
  { value: '', text: 'Kies een categorie' },
  ...Object.entries(CATEGORY_LABELS)
    .filter(([code]) => code !== 'PRESENT')
    .map(([value, text]) => ({ value, text })),
];

/** A new version name for a mapping published from the console: sortable and unique to the second. */
function newVersion(): string {
  return `console-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}`;
}

function MapCode({ item }: { item: UnmappedReason }) {
  const queries = useQueryClient();
  const [category, setCategory] = useState('');
  const [missing, setMissing] = useState(false);
  const school = item.school ?? '';
  const publish = useMutation({
    mutationFn: async () => {
      // Extend the school's current mapping: every other code keeps its category.
      const current = await api<{ mapping: StoredReasonMapping | null }>(
        `/v1/mappings/${item.system}?school=${encodeURIComponent(school)}`,
      );
      const stored = (current.mapping?.mapping ?? {}) as {
        reasons?: Record<string, string>;
        description?: string;
      };
      return api<PutReasonMappingResult>(`/v1/mappings/${item.system}?school=${encodeURIComponent(school)}`, {
        method: 'PUT',
        body: {
          system: item.system,
          version: newVersion(),
          ...(stored.description ? { description: stored.description } : {}),
          reasons: { ...(stored.reasons ?? {}), [item.reasonCode ?? '']: category },
        },
      });
    },
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: keys.unmapped });
    },
  });
  const code = item.reasonCode ?? '(geen code)';
  return (
    <form
      className="kp-map-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (category === '') {
          setMissing(true);
          return;
        }
        publish.mutate();
      }}
    >
      <SelectField
        label={`Categorie voor code ${code}`}
        value={category}
        onChange={(v) => {
          setCategory(v);
          setMissing(false);
        }}
        options={CATEGORY_OPTIONS}
      />
      {missing && (
        <p className="utrecht-form-field-error-message" role="alert">
          Kies eerst een categorie.
        </p>
      )}
      <Button type="submit" appearance="primary-action-button" busy={publish.isPending}>
        Koppelen en publiceren
      </Button>
      {publish.isPending && (
        <div className="kp-progress" role="status">
          <label htmlFor={`voortgang-${code}`}>Wachtende registraties worden opnieuw verwerkt…</label>
          <progress id={`voortgang-${code}`} />
        </div>
      )}
      {publish.data && (
        <p className="utrecht-paragraph" role="status">
          Gepubliceerd: {publish.data.replay.resolved} registraties verwerkt
          {publish.data.replay.stillQuarantined > 0
            ? `, ${publish.data.replay.stillQuarantined} wachten nog`
            : ''}
          .
        </p>
      )}
      <Problem error={publish.error} />
    </form>
  );
}

/** Codes of the school systems that no mapping covers yet, and the records that wait for them. */
export function QuarantinePage() {
  const unmapped = useUnmapped();
  const items = unmapped.data?.items ?? [];
  return (
    <>
      <PageHeading title="Quarantaine en koppelingen">Quarantaine en koppelingen</PageHeading>
      <p className="utrecht-paragraph">
        Registraties met een absentiecode die uw school nog niet aan een categorie heeft gekoppeld, wachten
        hier. Koppel de code aan een categorie: ketenpoort publiceert een nieuwe versie van de koppeling en
        verwerkt de wachtende registraties opnieuw.
      </p>
      <Problem error={unmapped.error} />
      {unmapped.isPending ? (
        <Loading what="Quarantaine" />
      ) : items.length === 0 ? (
        <Notice kind="ok">
          <p className="utrecht-paragraph">Er wachten geen registraties op een koppeling.</p>
        </Notice>
      ) : (
        items.map((item) => (
          <section
            className="kp-card"
            key={`${item.school}-${item.system}-${item.reasonCode}`}
            aria-label={`Code ${item.reasonCode ?? ''}`}
          >
            <h2 className="utrecht-heading-3">
              Code <code className="kp-code">{item.reasonCode ?? '(geen)'}</code> uit{' '}
              {label(SOURCE_SYSTEM_LABELS, item.system)}, school {item.school ?? 'onbekend'}
            </h2>
            <p className="utrecht-paragraph">
              {item.count} {item.count === 1 ? 'registratie wacht' : 'registraties wachten'}. Voorbeelden:{' '}
              {item.examples
                .map((e) => `${e.sourceId}${e.date ? ` (${formatDate(e.date)})` : ''}`)
                .join(', ') || '—'}
            </p>
            <MapCode item={item} />
          </section>
        ))
      )}
    </>
  );
}
