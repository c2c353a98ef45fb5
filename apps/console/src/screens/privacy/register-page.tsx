import { Button } from '@utrecht/button-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { Textbox } from '@utrecht/textbox-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  type ControllerDetails,
  type ControllerRegister,
  type ProcessorRegister,
  retentionKeys,
  saveControllerDetails,
  useControllerDetails,
  useRegister,
} from '../../api/retention.js';
import { PageHeading } from '../../components/page-heading.js';
import { Loading, Notice, Problem } from '../../components/problem.js';
import { useSignedIn } from '../signed-in.js';
import { formatDateTime } from '../../labels/format.js';
import { fieldName } from '../report-fields.js';

const CHANNEL_TEXT: Record<string, string> = {
  pull: 'ketenpoort haalt op',
  push: 'de school levert aan',
  file: 'bestand geüpload',
};
const unset = 'Niet vastgelegd in ketenpoort: vul dit aan in het register van het bestuur.';

/** "de leerplichtafdeling" → "De leerplichtafdeling" at the start of a cell. */
const capitalised = (text: string) => text.charAt(0).toLocaleUpperCase('nl-NL') + text.slice(1);

function Meta({ generatedAt, policy }: { generatedAt: string; policy: { id: string; version: string } }) {
  return (
    <p className="utrecht-paragraph kp-muted">
      Opgemaakt op {formatDateTime(generatedAt)} uit het privacybeleid dat nu geldt ({policy.id}, versie{' '}
      {policy.version}) en de configuratie van ketenpoort.
    </p>
  );
}

function Controller({ register }: { register: ControllerRegister & { generatedAt: string } }) {
  return (
    <section aria-labelledby="verantwoordelijke-kop" className="kp-register">
      <h2 className="utrecht-heading-2" id="verantwoordelijke-kop">
        Register van het schoolbestuur (AVG artikel 30 lid 1)
      </h2>
      <Meta generatedAt={register.generatedAt} policy={register.policy} />
      <dl className="kp-summary">
        <div>
          <dt>Verwerkingsverantwoordelijke</dt>
          <dd>{register.controller.name ?? `Schoolbestuur ${register.board}`}</dd>
        </div>
        <div>
          <dt>Contactgegevens</dt>
          <dd>{register.controller.contact ?? unset}</dd>
        </div>
        <div>
          <dt>Functionaris gegevensbescherming</dt>
          <dd>{register.controller.privacyOfficer ?? unset}</dd>
        </div>
        <div>
          <dt>Doorgifte buiten de EER</dt>
          <dd>{register.transfers}</dd>
        </div>
      </dl>
      <h3 className="utrecht-heading-3">Doelen en grondslagen</h3>
      <ul className="utrecht-unordered-list">
        {register.purposes.map((p) => (
          <li key={p.purpose}>
            {capitalised(p.description)}: {p.basisText}; {p.legalBasis}.
          </li>
        ))}
      </ul>
      <h3 className="utrecht-heading-3">Betrokkenen</h3>
      <ul className="utrecht-unordered-list">
        {register.dataSubjects.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      <h3 className="utrecht-heading-3">Herkomst: bronsystemen</h3>
      {register.sources.length === 0 ? (
        <p className="utrecht-paragraph">Er is nog geen bronsysteem ingesteld of aangesloten.</p>
      ) : (
        <ul className="utrecht-unordered-list">
          {register.sources.map((s) => (
            <li key={s.system}>
              <strong>{s.name}</strong> ({s.channels.map((c) => CHANNEL_TEXT[c] ?? c).join(', ')}
              {s.schools.length > 0 && `; scholen ${s.schools.join(', ')}`}): {s.delivers}.
            </li>
          ))}
        </ul>
      )}
      <div className="utrecht-table-container utrecht-table-container--overflow-inline">
        <table
          className="utrecht-table utrecht-table--html-table kp-register-table"
          data-testid="tabel-ontvangers"
        >
          <caption className="utrecht-table__caption">
            Ontvangers: wie krijgt welke gegevens, waarvoor en hoe lang
          </caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th scope="col" className="utrecht-table__header-cell">
                Ontvanger
              </th>
              <th scope="col" className="utrecht-table__header-cell">
                Doel en grondslag
              </th>
              <th scope="col" className="utrecht-table__header-cell">
                Gegevens
              </th>
              <th scope="col" className="utrecht-table__header-cell">
                Wanneer
              </th>
              <th scope="col" className="utrecht-table__header-cell">
                Bewaartermijn bij de ontvanger
              </th>
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {register.recipients.map((r) => (
              <tr className="utrecht-table__row" key={`${r.rule}-${r.recipient}-${r.purpose}`}>
                <th scope="row" className="utrecht-table__header-cell">
                  {capitalised(r.recipientName)}
                  {r.bodies.length > 0 && (
                    <>
                      <br />
                      <span className="kp-muted">{r.bodies.join('; ')}</span>
                    </>
                  )}
                </th>
                <td className="utrecht-table__cell">
                  {capitalised(r.purposeDescription)}
                  <br />
                  <span className="kp-muted">
                    {r.basisText}
                    {r.legalBasis && `; ${r.legalBasis}`}
                  </span>
                </td>
                <td className="utrecht-table__cell">{[...new Set(r.fields.map(fieldName))].join(', ')}</td>
                <td className="utrecht-table__cell">
                  {r.conditions.length === 0 ? 'altijd' : r.conditions.join('; ')}
                  {r.withheldWhen.map((w) => (
                    <span className="kp-muted" key={w.reason}>
                      <br />
                      Niet: {[...new Set(w.fields.map(fieldName))].join(', ')} — {w.reason}
                    </span>
                  ))}
                </td>
                <td className="utrecht-table__cell">{r.retentionText ?? 'niet vastgelegd'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 className="utrecht-heading-3">Bewaartermijnen in ketenpoort</h3>
      <ul className="utrecht-unordered-list">
        {register.retention.map((r) => (
          <li key={r.category}>
            {r.name}: {r.periods.join('; ')}
          </li>
        ))}
      </ul>
      <h3 className="utrecht-heading-3">Beveiligingsmaatregelen (algemene beschrijving)</h3>
      <ul className="utrecht-unordered-list">
        {register.security.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
    </section>
  );
}

function Processor({ register }: { register: ProcessorRegister & { generatedAt: string } }) {
  return (
    <section aria-labelledby="verwerker-kop" className="kp-register">
      <h2 className="utrecht-heading-2" id="verwerker-kop">
        Register van de verwerker (AVG artikel 30 lid 2)
      </h2>
      <Meta generatedAt={register.generatedAt} policy={register.policy} />
      <dl className="kp-summary">
        <div>
          <dt>Verwerker</dt>
          <dd>{register.processor.name ?? unset}</dd>
        </div>
        <div>
          <dt>Contactgegevens</dt>
          <dd>{register.processor.contact ?? unset}</dd>
        </div>
        <div>
          <dt>Namens</dt>
          <dd>{register.controllers.map((c) => c.name ?? `Schoolbestuur ${c.board}`).join(', ')}</dd>
        </div>
        <div>
          <dt>Doorgifte buiten de EER</dt>
          <dd>{register.transfers}</dd>
        </div>
      </dl>
      <h3 className="utrecht-heading-3">Categorieën van verwerkingen</h3>
      <ul className="utrecht-unordered-list">
        {register.processing.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      <h3 className="utrecht-heading-3">Beveiligingsmaatregelen (algemene beschrijving)</h3>
      <ul className="utrecht-unordered-list">
        {register.security.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
    </section>
  );
}

const DETAIL_FIELDS = [
  { key: 'name', label: 'Naam van het schoolbestuur' },
  { key: 'contact', label: 'Contactgegevens van het bestuur (adres, telefoon of e-mail)' },
  { key: 'privacyOfficer', label: 'Functionaris gegevensbescherming (naam en e-mail)' },
] as const;

/** What configuration cannot know, filled in once by the privacy officer (ADR 0025). */
function ControllerForm({ details }: { details: ControllerDetails }) {
  const queries = useQueryClient();
  const [values, setValues] = useState({
    name: details.name ?? '',
    contact: details.contact ?? '',
    privacyOfficer: details.privacyOfficer ?? '',
  });
  const save = useMutation({
    mutationFn: () => saveControllerDetails(values),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: retentionKeys.registerAll });
      await queries.invalidateQueries({ queryKey: retentionKeys.controller });
    },
  });
  return (
    <details className="kp-card kp-no-print">
      <summary>Gegevens van het bestuur aanvullen</summary>
      <p className="utrecht-paragraph">
        Naam en contactgegevens van het bestuur en van de functionaris gegevensbescherming kan ketenpoort niet
        uit de configuratie halen. Vul ze hier één keer in; ze komen in beide registers en in de CSV.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        {DETAIL_FIELDS.map((f) => (
          <FormField type="text" key={f.key}>
            <div className="utrecht-form-field__label">
              <FormLabel htmlFor={`bestuur-${f.key}`}>{f.label}</FormLabel>
            </div>
            <div className="utrecht-form-field__input">
              <Textbox
                id={`bestuur-${f.key}`}
                maxLength={200}
                value={values[f.key]}
                onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
              />
            </div>
          </FormField>
        ))}
        <div className="kp-actions">
          <Button type="submit" appearance="primary-action-button" busy={save.isPending}>
            Gegevens opslaan
          </Button>
        </div>
        {save.isSuccess && <Notice kind="ok">De gegevens van het bestuur zijn opgeslagen.</Notice>}
        {save.isError && <Problem error={save.error} />}
      </form>
    </details>
  );
}

/** Verwerkingsregister (issue 15 item 7): generated from the configuration, both views, CSV and print. */
export function RegisterPage() {
  const [kind, setKind] = useState<'controller' | 'processor'>('controller');
  const controller = useRegister('controller');
  const processor = useRegister('processor');
  const current = kind === 'controller' ? controller : processor;
  const session = useSignedIn();
  const details = useControllerDetails();
  return (
    <>
      <PageHeading title="Verwerkingsregister">Verwerkingsregister</PageHeading>
      <p className="utrecht-paragraph">
        Dit register maakt ketenpoort zelf uit het privacybeleid, de aangesloten bronsystemen, de
        routeringstabel en de bewaartermijnen. Het wijkt dus nooit af van wat de software doet.
      </p>
      <div className="kp-actions kp-no-print" role="group" aria-label="Weergave en uitvoer">
        <Button
          appearance={kind === 'controller' ? 'primary-action-button' : 'secondary-action-button'}
          aria-pressed={kind === 'controller'}
          onClick={() => setKind('controller')}
        >
          Schoolbestuur (lid 1)
        </Button>
        <Button
          appearance={kind === 'processor' ? 'primary-action-button' : 'secondary-action-button'}
          aria-pressed={kind === 'processor'}
          onClick={() => setKind('processor')}
        >
          Verwerker (lid 2)
        </Button>
        <a
          className="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action kp-button-link"
          href={`/v1/privacy/register?kind=${kind}&format=csv`}
          download
        >
          Download CSV
        </a>
        <Button appearance="secondary-action-button" onClick={() => window.print()}>
          Afdrukken
        </Button>
      </div>
      {session.actor.role === 'privacy_officer' && details.data && <ControllerForm details={details.data} />}
      {current.isPending ? (
        <Loading what="Het register" />
      ) : current.isError ? (
        <Problem error={current.error} />
      ) : kind === 'controller' && controller.data ? (
        <Controller register={controller.data} />
      ) : processor.data ? (
        <Processor register={processor.data} />
      ) : null}
    </>
  );
}
