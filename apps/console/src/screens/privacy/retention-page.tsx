import * as Plot from '@observablehq/plot';
import { Button } from '@utrecht/button-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { Textbox } from '@utrecht/textbox-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  type LegalHoldEvent,
  type RetentionForecastView,
  PAGE_SIZE,
  holdActions,
  retentionKeys,
  useForecast,
  useHolds,
  useReceipts,
} from '../../api/retention.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { SelectField } from '../../components/fields.js';
import { PageHeading } from '../../components/page-heading.js';
import { Loading, Notice, Problem } from '../../components/problem.js';
import { formatDateTime, formatMonth, formatMonthShort, formatPeriod } from '../../labels/format.js';
import { RECIPIENT_KIND_LABELS, RETENTION_CATEGORY_LABELS, label } from '../../labels/labels.js';
import { useSignedIn } from '../signed-in.js';
import { Pager } from '../../components/pager.js';

const categoryName = (category: string) => label(RETENTION_CATEGORY_LABELS, category);

function ForecastChart({ forecast }: { forecast: RetentionForecastView }) {
  const ref = useRef<HTMLDivElement>(null);
  const rows = useMemo(
    () =>
      forecast.categories.flatMap((c) =>
        c.perMonth.map((n, i) => ({
          month: formatMonthShort(forecast.months[i]),
          category: categoryName(c.category),
          n,
        })),
      ),
    [forecast],
  );
  useEffect(() => {
    const chart = Plot.plot({
      style: { fontSize: '13px' },
      marginBottom: 70,
      marginLeft: 60,
      x: { domain: forecast.months.map(formatMonthShort), label: null, tickRotate: -35 },
      y: { label: 'aantal', grid: true },
      color: { legend: true },
      marks: [Plot.barY(rows, { x: 'month', y: 'n', fill: 'category' }), Plot.ruleY([0])],
    });
    // Plot's mark groups carry aria-labels that say nothing inside one image; ARIA forbids them without a role.
    for (const el of chart.querySelectorAll('[aria-label], [aria-description]')) {
      el.removeAttribute('aria-label');
      el.removeAttribute('aria-description');
    }
    ref.current?.replaceChildren(chart);
    return () => chart.remove();
  }, [rows, forecast.months]);
  const total = rows.reduce((s, r) => s + r.n, 0);
  return (
    <div
      className="kp-chart kp-no-print"
      role="img"
      aria-label={`Staafdiagram: wat ketenpoort per maand verwijdert, ${total} in totaal. De tabel hieronder bevat dezelfde cijfers.`}
      ref={ref}
    />
  );
}

function Forecast() {
  const [months, setMonths] = useState(12);
  const forecast = useForecast(months);
  return (
    <section aria-labelledby="prognose-kop">
      <h2 className="utrecht-heading-2" id="prognose-kop">
        Wat wordt wanneer verwijderd
      </h2>
      <SelectField
        label="Periode"
        value={String(months)}
        onChange={(v) => setMonths(Number(v))}
        options={[6, 12, 24, 36].map((n) => ({ value: String(n), text: `De komende ${n} maanden` }))}
      />
      {forecast.isPending ? (
        <Loading what="De prognose" />
      ) : forecast.isError ? (
        <Problem error={forecast.error} />
      ) : (
        <>
          <p className="utrecht-paragraph">
            Volgens het beleid dat nu geldt ({forecast.data.policy.id}, versie {forecast.data.policy.version}
            {forecast.data.policy.source === 'default' ? ', het standaardbeleid van ketenpoort' : ''}).
            Aantallen gegevens, geen namen. Wat al over de termijn is, telt in de eerste maand: de volgende
            verwijderronde ruimt het op.
            {forecast.data.heldPupils > 0 &&
              ` ${forecast.data.heldPupils} ${forecast.data.heldPupils === 1 ? 'leerling staat' : 'leerlingen staan'} onder bewaarplicht en ${forecast.data.heldPupils === 1 ? 'telt' : 'tellen'} niet mee.`}
          </p>
          {forecast.data.categories.length === 0 ? (
            <p className="utrecht-paragraph">In deze periode wordt niets verwijderd.</p>
          ) : (
            <>
              {forecast.data.categories.some((c) => c.perMonth.some((n) => n > 0)) ? (
                <ForecastChart forecast={forecast.data} />
              ) : (
                <p className="utrecht-paragraph">
                  In de gekozen periode wordt niets verwijderd; de tabel toont wat daarna aan de beurt is.
                </p>
              )}
              {/* Wider than the page with many months: the region scrolls, and takes focus to scroll by keyboard. */}
              <div
                className="utrecht-table-container utrecht-table-container--overflow-inline"
                tabIndex={0}
                role="region"
                aria-labelledby="prognose-tabel-titel"
              >
                <table
                  className="utrecht-table utrecht-table--html-table kp-forecast-table"
                  data-testid="tabel-prognose"
                >
                  <caption className="utrecht-table__caption" id="prognose-tabel-titel">
                    Te verwijderen gegevens per maand
                  </caption>
                  <thead className="utrecht-table__header">
                    <tr className="utrecht-table__row">
                      <th scope="col" className="utrecht-table__header-cell">
                        Soort gegevens
                      </th>
                      <th scope="col" className="utrecht-table__header-cell">
                        Bewaartermijn
                      </th>
                      {forecast.data.months.map((m) => (
                        <th
                          scope="col"
                          className="utrecht-table__header-cell utrecht-table__header-cell--numeric-column"
                          key={m}
                        >
                          <abbr title={formatMonth(m)} className="kp-nowrap">
                            {formatMonthShort(m)}
                          </abbr>
                        </th>
                      ))}
                      <th
                        scope="col"
                        className="utrecht-table__header-cell utrecht-table__header-cell--numeric-column"
                      >
                        Later
                      </th>
                    </tr>
                  </thead>
                  <tbody className="utrecht-table__body">
                    {forecast.data.categories.map((c) => (
                      <tr className="utrecht-table__row" key={c.category}>
                        <th scope="row" className="utrecht-table__header-cell">
                          {categoryName(c.category)}
                          {c.overdue > 0 && (
                            <>
                              <br />
                              <span className="kp-muted">{c.overdue} al over de termijn</span>
                            </>
                          )}
                        </th>
                        <td className="utrecht-table__cell">
                          {(forecast.data.periods[c.category] ?? []).map(formatPeriod).join(' of ')}
                        </td>
                        {c.perMonth.map((n, i) => (
                          <td
                            className="utrecht-table__cell utrecht-table__cell--numeric"
                            key={forecast.data.months[i]}
                          >
                            {n}
                          </td>
                        ))}
                        <td className="utrecht-table__cell utrecht-table__cell--numeric">{c.later}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}

function Receipts() {
  const [page, setPage] = useState(1);
  const receipts = useReceipts(page);
  return (
    <section aria-labelledby="bewijzen-kop">
      <h2 className="utrecht-heading-2" id="bewijzen-kop">
        Verwijderbewijzen
      </h2>
      {receipts.isPending ? (
        <Loading what="De verwijderbewijzen" />
      ) : receipts.isError ? (
        <Problem error={receipts.error} />
      ) : receipts.data.total === 0 ? (
        <p className="utrecht-paragraph">Er is nog niets verwijderd.</p>
      ) : (
        <>
          <div className="utrecht-table-container utrecht-table-container--overflow-inline">
            <table className="utrecht-table utrecht-table--html-table" data-testid="tabel-bewijzen">
              <caption className="utrecht-table__caption">
                Wat ketenpoort verwijderde, volgens welke termijn en welk beleid ({receipts.data.total} in
                totaal)
              </caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  <th scope="col" className="utrecht-table__header-cell">
                    Verwijderd op
                  </th>
                  <th scope="col" className="utrecht-table__header-cell">
                    Soort gegevens
                  </th>
                  <th
                    scope="col"
                    className="utrecht-table__header-cell utrecht-table__header-cell--numeric-column"
                  >
                    Aantal
                  </th>
                  <th scope="col" className="utrecht-table__header-cell">
                    Bewaartermijn
                  </th>
                  <th scope="col" className="utrecht-table__header-cell">
                    Beleid
                  </th>
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {receipts.data.items.map((r) => (
                  <tr className="utrecht-table__row" key={r.seq}>
                    <td className="utrecht-table__cell">{formatDateTime(r.at)}</td>
                    <td className="utrecht-table__cell">
                      {categoryName(r.category)}
                      {r.recipient && (
                        <span className="kp-muted">
                          {' '}
                          (verzoeken aan {label(RECIPIENT_KIND_LABELS, r.recipient)})
                        </span>
                      )}
                    </td>
                    <td className="utrecht-table__cell utrecht-table__cell--numeric">{r.count}</td>
                    <td className="utrecht-table__cell">{formatPeriod(r.period)}</td>
                    <td className="utrecht-table__cell">
                      {r.policy ? `${r.policy.id}, versie ${r.policy.version}` : 'standaardtermijn'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            page={page}
            pageSize={PAGE_SIZE}
            total={receipts.data.total}
            what="de verwijderbewijzen"
            onPage={setPage}
          />
        </>
      )}
    </section>
  );
}

type HoldDialog =
  | { readonly kind: 'place'; readonly localId: string; readonly school: string; readonly reason: string }
  | { readonly kind: 'lift'; readonly localId: string; readonly school: string };

function ReasonField(props: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  invalid: boolean;
  label: string;
}) {
  return (
    <FormField type="text" invalid={props.invalid}>
      <div className="utrecht-form-field__label">
        <FormLabel htmlFor={props.id}>{props.label}</FormLabel>
      </div>
      {props.invalid && (
        <p className="utrecht-form-field-error-message" id={`${props.id}-fout`}>
          Geef een reden op van 3 tot 500 tekens.
        </p>
      )}
      <div className="utrecht-form-field__input">
        <Textbox
          id={props.id}
          aria-required="true"
          maxLength={500}
          value={props.value}
          aria-describedby={props.invalid ? `${props.id}-fout` : undefined}
          aria-invalid={props.invalid || undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
      </div>
    </FormField>
  );
}

const reasonOk = (reason: string) => reason.trim().length >= 3 && reason.trim().length <= 500;

function Holds({ canEdit }: { canEdit: boolean }) {
  const [page, setPage] = useState(1);
  const holds = useHolds(page);
  const queries = useQueryClient();
  const [localId, setLocalId] = useState('');
  const [school, setSchool] = useState('');
  const [reason, setReason] = useState('');
  const [formError, setFormError] = useState(false);
  const [dialog, setDialog] = useState<HoldDialog | null>(null);
  const [liftReason, setLiftReason] = useState('');
  const [liftError, setLiftError] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (d: HoldDialog) =>
      d.kind === 'place'
        ? holdActions.place(d.localId, d.school, d.reason)
        : holdActions.lift(d.localId, d.school, liftReason),
    onSuccess: async (_, d) => {
      setDone(
        d.kind === 'place'
          ? `De bewaarplicht voor leerling ${d.localId} is ingesteld. Zijn gegevens worden niet verwijderd tot u die opheft.`
          : `De bewaarplicht voor leerling ${d.localId} is opgeheven. De gewone bewaartermijnen gelden weer.`,
      );
      setDialog(null);
      if (d.kind === 'place') {
        setLocalId('');
        setSchool('');
        setReason('');
      }
      setLiftReason('');
      await queries.invalidateQueries({ queryKey: retentionKeys.all });
    },
  });
  const schoolOk = school === '' || /^[0-9A-Z]{4}$/.test(school);
  const latestSet = (h: LegalHoldEvent, items: readonly LegalHoldEvent[]) =>
    h.action === 'SET' &&
    h.heldNow &&
    items.find((x) => x.localId === h.localId && x.school === h.school)?.id === h.id;
  return (
    <section aria-labelledby="bewaarplicht-kop">
      <h2 className="utrecht-heading-2" id="bewaarplicht-kop">
        Bewaarplicht (legal hold)
      </h2>
      <p className="utrecht-paragraph">
        Met een bewaarplicht worden de gegevens van een leerling niet verwijderd, ook niet na de
        bewaartermijn, bijvoorbeeld tijdens een klacht of rechtszaak. Instellen en opheffen gebeurt met een
        reden en komt in het auditlog.
      </p>
      {done && <Notice kind="ok">{done}</Notice>}
      {canEdit && (
        <form
          className="kp-card kp-no-print"
          aria-labelledby="instellen-kop"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const ok = localId.trim() !== '' && schoolOk && reasonOk(reason);
            setFormError(!ok);
            if (ok) {
              mutation.reset();
              setDone(null);
              setDialog({ kind: 'place', localId: localId.trim(), school, reason: reason.trim() });
            }
          }}
        >
          <h3 className="utrecht-heading-3" id="instellen-kop">
            Bewaarplicht instellen
          </h3>
          <FormField type="text" invalid={formError && localId.trim() === ''}>
            <div className="utrecht-form-field__label">
              <FormLabel htmlFor="bewaarplicht-leerling">Leerlingnummer</FormLabel>
            </div>
            {formError && localId.trim() === '' && (
              <p className="utrecht-form-field-error-message" id="bewaarplicht-leerling-fout">
                Vul het leerlingnummer in.
              </p>
            )}
            <div className="utrecht-form-field__input">
              <Textbox
                id="bewaarplicht-leerling"
                required
                maxLength={64}
                value={localId}
                aria-describedby={
                  formError && localId.trim() === '' ? 'bewaarplicht-leerling-fout' : undefined
                }
                aria-invalid={(formError && localId.trim() === '') || undefined}
                onChange={(e) => setLocalId(e.target.value)}
              />
            </div>
          </FormField>
          <FormField type="text" invalid={formError && !schoolOk}>
            <div className="utrecht-form-field__label">
              <FormLabel htmlFor="bewaarplicht-school">
                School (BRIN, alleen nodig als twee scholen dit nummer gebruiken)
              </FormLabel>
            </div>
            {formError && !schoolOk && (
              <p className="utrecht-form-field-error-message" id="bewaarplicht-school-fout">
                Een BRIN bestaat uit vier tekens, bijvoorbeeld 99XX.
              </p>
            )}
            <div className="utrecht-form-field__input">
              <Textbox
                id="bewaarplicht-school"
                maxLength={4}
                value={school}
                aria-describedby={formError && !schoolOk ? 'bewaarplicht-school-fout' : undefined}
                aria-invalid={(formError && !schoolOk) || undefined}
                onChange={(e) => setSchool(e.target.value.toUpperCase())}
              />
            </div>
          </FormField>
          <ReasonField
            id="bewaarplicht-reden"
            label="Reden"
            value={reason}
            onChange={setReason}
            invalid={formError && !reasonOk(reason)}
          />
          <div className="kp-actions">
            <Button type="submit" appearance="primary-action-button">
              Bewaarplicht instellen
            </Button>
          </div>
        </form>
      )}
      {mutation.isError && !dialog && <Problem error={mutation.error} />}
      {holds.isPending ? (
        <Loading what="De bewaarplichten" />
      ) : holds.isError ? (
        <Problem error={holds.error} />
      ) : holds.data.total === 0 ? (
        <p className="utrecht-paragraph">Er is nog nooit een bewaarplicht ingesteld.</p>
      ) : (
        <>
          <div className="utrecht-table-container utrecht-table-container--overflow-inline">
            <table className="utrecht-table utrecht-table--html-table" data-testid="tabel-bewaarplicht">
              <caption className="utrecht-table__caption">
                Ingestelde en opgeheven bewaarplichten, nieuwste eerst
              </caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  <th scope="col" className="utrecht-table__header-cell">
                    Wanneer
                  </th>
                  <th scope="col" className="utrecht-table__header-cell">
                    Leerling
                  </th>
                  <th scope="col" className="utrecht-table__header-cell">
                    Wat
                  </th>
                  <th scope="col" className="utrecht-table__header-cell">
                    Door
                  </th>
                  <th scope="col" className="utrecht-table__header-cell">
                    Reden
                  </th>
                  {canEdit && (
                    <th scope="col" className="utrecht-table__header-cell kp-no-print">
                      Actie
                    </th>
                  )}
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {holds.data.items.map((h) => (
                  <tr className="utrecht-table__row" key={h.id}>
                    <td className="utrecht-table__cell">{formatDateTime(h.at)}</td>
                    <td className="utrecht-table__cell">
                      Leerling {h.localId}
                      <br />
                      <span className="kp-muted">School {h.school}</span>
                    </td>
                    <td className="utrecht-table__cell">
                      {h.action === 'SET' ? 'Ingesteld' : 'Opgeheven'}
                      {latestSet(h, holds.data.items) && (
                        <>
                          {' '}
                          <span className="kp-status kp-status--warning">Geldt nu</span>
                        </>
                      )}
                    </td>
                    <td className="utrecht-table__cell">{h.by}</td>
                    <td className="utrecht-table__cell">{h.reason ?? 'geen reden opgegeven'}</td>
                    {canEdit && (
                      <td className="utrecht-table__cell kp-no-print">
                        {latestSet(h, holds.data.items) && (
                          <Button
                            appearance="secondary-action-button"
                            onClick={() => {
                              mutation.reset();
                              setDone(null);
                              setLiftReason('');
                              setLiftError(false);
                              setDialog({ kind: 'lift', localId: h.localId, school: h.school });
                            }}
                          >
                            Opheffen<span className="kp-visually-hidden"> voor leerling {h.localId}</span>
                          </Button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            page={page}
            pageSize={PAGE_SIZE}
            total={holds.data.total}
            what="de bewaarplichten"
            onPage={setPage}
          />
        </>
      )}
      <ConfirmDialog
        open={dialog?.kind === 'place'}
        title="Bewaarplicht instellen?"
        confirmLabel="Ja, bewaarplicht instellen"
        busy={mutation.isPending}
        onConfirm={() => dialog && mutation.mutate(dialog)}
        onCancel={() => setDialog(null)}
      >
        {dialog?.kind === 'place' && (
          <>
            <p className="utrecht-paragraph">
              De gegevens van leerling {dialog.localId}
              {dialog.school && ` van school ${dialog.school}`} worden niet meer verwijderd, ook niet na de
              bewaartermijn, tot u de bewaarplicht opheft. Reden: {dialog.reason}
            </p>
            {mutation.isError && <Problem error={mutation.error} />}
          </>
        )}
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog?.kind === 'lift'}
        title="Bewaarplicht opheffen?"
        confirmLabel="Ja, bewaarplicht opheffen"
        busy={mutation.isPending}
        danger
        onConfirm={() => {
          if (!reasonOk(liftReason)) {
            setLiftError(true);
            return;
          }
          if (dialog) mutation.mutate(dialog);
        }}
        onCancel={() => setDialog(null)}
      >
        {dialog?.kind === 'lift' && (
          <>
            <p className="utrecht-paragraph">
              Voor leerling {dialog.localId} van school {dialog.school} gelden daarna weer de gewone
              bewaartermijnen: wat over de termijn is, verwijdert de volgende verwijderronde.
            </p>
            <ReasonField
              id="opheffen-reden"
              label="Reden van opheffen"
              value={liftReason}
              onChange={(v) => {
                setLiftReason(v);
                setLiftError(false);
              }}
              invalid={liftError}
            />
            {mutation.isError && <Problem error={mutation.error} />}
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}

/** Bewaartermijnen (issue 15 item 5): forecast, deletion receipts, legal holds; the auditor reads only. */
export function RetentionPage() {
  const session = useSignedIn();
  const canEdit = session.actor.role === 'privacy_officer';
  return (
    <>
      <PageHeading title="Bewaartermijnen">Bewaartermijnen</PageHeading>
      <p className="utrecht-paragraph">
        Ketenpoort verwijdert gegevens zodra hun bewaartermijn uit het privacybeleid voorbij is, en legt elke
        verwijdering vast met een verwijderbewijs.
      </p>
      <Forecast />
      <Receipts />
      <Holds canEdit={canEdit} />
    </>
  );
}
