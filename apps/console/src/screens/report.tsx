import { Button } from '@utrecht/button-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { Textbox } from '@utrecht/textbox-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client.js';
import { keys, useChain, usePreview, usePupilOverview, useSignals } from '../api/queries.js';
import type { Delivery, PreviewDestination, Report, ReportStatusChange } from '../api/types.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { PageHeading } from '../components/page-heading.js';
import { Loading, Notice, Problem } from '../components/problem.js';
import { deadlineText, formatDate, formatDateTime, todayInAmsterdam } from '../labels/format.js';
import {
  CLOSING_EXPLANATION_LABELS,
  CLOSING_REASON_LABELS,
  DELIVERY_OPERATION_LABELS,
  DELIVERY_STATUS_LABELS,
  DESTINATION_LABELS,
  FIELD_LABELS,
  RECIPIENT_KIND_LABELS,
  REPORT_ACTION_LABELS,
  REPORT_KIND_LABELS,
  REPORT_STATUS_LABELS,
  RULE_LABELS,
  deliveryProblemText,
  label,
} from '../labels/labels.js';
import { fieldName, fieldValue } from './report-fields.js';
import { hoursOf } from './reports.js';
import { useSignedIn } from './signed-in.js';

/** A first report that reached its destination and is not closed takes an end date or a withdrawal. */
const FOLLOW_UP = ['SENT', 'REGISTERED', 'IN_BEHANDELING'];

function Summary({
  report,
  hours,
  pupil,
}: {
  report: Report;
  hours: string;
  /** Staff of the school: the pupil's name (null while unknown) and a link to the pupil page. */
  pupil: { readonly name: string | null } | null;
}) {
  const today = todayInAmsterdam();
  return (
    <dl className="kp-summary">
      <div>
        <dt>Leerling</dt>
        <dd>
          {pupil === null ? (
            report.pupil.localId
          ) : (
            <Link className="utrecht-link" to={`/leerlingen/${report.school}/${report.pupil.localId}`}>
              {pupil.name ? `${pupil.name} (${report.pupil.localId})` : `Leerling ${report.pupil.localId}`}
            </Link>
          )}
        </dd>
      </div>
      <div>
        <dt>Soort melding</dt>
        <dd>{label(REPORT_KIND_LABELS, report.kind)}</dd>
      </div>
      <div>
        <dt>Aanleiding</dt>
        <dd>{label(RULE_LABELS, report.rule)}</dd>
      </div>
      <div>
        <dt>Periode</dt>
        <dd>
          {formatDate(report.fields['absence.beginDate'] as string)} –{' '}
          {formatDate(report.fields['absence.endDate'] as string)}
        </dd>
      </div>
      <div>
        <dt>Ongeoorloofd verzuim</dt>
        <dd>{hours}</dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd>
          <span className={`kp-status kp-status--${report.status.toLowerCase()}`}>
            {label(REPORT_STATUS_LABELS, report.status)}
          </span>
        </dd>
      </div>
      {report.status === 'DRAFT' && (
        <div>
          <dt>Uiterlijk melden</dt>
          <dd>
            {report.deadline ? formatDate(report.deadline) : '—'} ({deadlineText(report.deadline, today)})
          </dd>
        </div>
      )}
      {report.action !== 'REPORT' && (
        <div>
          <dt>Soort bericht</dt>
          <dd>{label(REPORT_ACTION_LABELS, report.action)}</dd>
        </div>
      )}
    </dl>
  );
}

const FIELD_ORDER = Object.keys(FIELD_LABELS);
/** Fields in the order of the report vocabulary (contracts §7): pupil, school, absence, report, reporter. */
function byVocabulary(a: { field: string }, b: { field: string }): number {
  return FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field);
}

/** The privacy decision per destination: what leaves, what is withheld and why. */
function PreviewDestinations({ destinations }: { destinations: readonly PreviewDestination[] }) {
  return (
    <>
      {destinations.map((d) => (
        <section
          className="kp-card"
          key={`${d.destination}-${d.recipient.id}`}
          aria-labelledby={`dest-${d.destination}`}
        >
          <h3 className="utrecht-heading-3" id={`dest-${d.destination}`}>
            {label(DESTINATION_LABELS, d.destination)}: {label(RECIPIENT_KIND_LABELS, d.recipient.kind)}
            {d.recipient.kind === 'DUO' ? '' : ` ${d.recipient.id}`}
          </h3>
          {d.outcome === 'SKIPPED' && (
            <p className="utrecht-paragraph">{d.reason?.text ?? deliveryProblemText(d.reason?.code ?? '')}</p>
          )}
          {d.outcome === 'BLOCKED' && (
            <Notice kind="warning">
              <p className="utrecht-paragraph">
                Deze melding kan zo niet naar {label(DESTINATION_LABELS, d.destination)}:{' '}
                {deliveryProblemText(d.reason?.code ?? '')}
              </p>
            </Notice>
          )}
          {d.outcome === 'DENIED' && (
            <Notice kind="warning">
              <p className="utrecht-paragraph">
                Het privacybeleid staat deze verzending niet toe. {d.explanation}
              </p>
            </Notice>
          )}
          {d.outcome === 'SEND' && (
            <>
              <table className="utrecht-table utrecht-table--html-table kp-fields">
                <caption className="utrecht-table__caption">Dit gaat mee</caption>
                <thead className="utrecht-table__header">
                  <tr className="utrecht-table__row">
                    <th className="utrecht-table__header-cell" scope="col">
                      Gegeven
                    </th>
                    <th className="utrecht-table__header-cell" scope="col">
                      Waarde
                    </th>
                  </tr>
                </thead>
                <tbody className="utrecht-table__body">
                  {[...d.released].sort(byVocabulary).map((f) => (
                    <tr className="utrecht-table__row" key={f.field}>
                      <th className="utrecht-table__header-cell" scope="row">
                        {fieldName(f.field)}
                      </th>
                      <td className="utrecht-table__cell">{fieldValue(f.field, f.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {d.withheld.length > 0 && (
            <>
              <h4 className="utrecht-heading-4">Dit gaat niet mee</h4>
              <ul className="utrecht-unordered-list kp-withheld">
                {d.withheld.map((w) => (
                  <li key={w.field}>
                    <strong>{fieldName(w.field)}</strong>: {w.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      ))}
    </>
  );
}

function DraftReview({ report }: { report: Report }) {
  const queries = useQueryClient();
  const preview = usePreview(report.school, report.id, true);
  const [dialog, setDialog] = useState<'approve' | 'dismiss' | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState(false);
  const refresh = () => {
    void queries.invalidateQueries({ queryKey: keys.chain(report.school, report.id) });
    void queries.invalidateQueries({ queryKey: keys.reports(report.school) });
  };
  const approve = useMutation({
    mutationFn: () => api<Report>(`/v1/reports/${report.id}/approve`, { method: 'POST' }),
    onSuccess: () => {
      setDialog(null);
      refresh();
    },
  });
  const dismiss = useMutation({
    mutationFn: () => api<Report>(`/v1/reports/${report.id}/dismiss`, { method: 'POST', body: { reason } }),
    onSuccess: () => {
      setDialog(null);
      refresh();
    },
  });
  const sendsTo = (preview.data?.destinations ?? []).filter((d) => d.outcome === 'SEND');
  return (
    <section aria-labelledby="zo-gaat-het-weg">
      <h2 className="utrecht-heading-2" id="zo-gaat-het-weg">
        Zo gaat de melding de deur uit
      </h2>
      <p className="utrecht-paragraph">
        Dit is de melding precies zoals ketenpoort haar verstuurt na uw goedkeuring, volgens het privacybeleid
        dat nu geldt
        {preview.data
          ? ` (versie ${preview.data.policy.version}${preview.data.policy.source === 'default' ? ', het standaardbeleid' : ''})`
          : ''}
        .
      </p>
      <Problem error={preview.error} />
      {preview.isPending ? (
        <Loading what="Voorbeeld" />
      ) : (
        preview.data && <PreviewDestinations destinations={preview.data.destinations} />
      )}
      <Problem error={approve.error ?? dismiss.error} />
      <div className="kp-actions">
        <Button appearance="primary-action-button" onClick={() => setDialog('approve')}>
          Goedkeuren en melden
        </Button>
        <Button appearance="secondary-action-button" onClick={() => setDialog('dismiss')}>
          Niet melden…
        </Button>
      </div>
      <ConfirmDialog
        open={dialog === 'approve'}
        title="Melding goedkeuren?"
        confirmLabel="Ja, goedkeuren en melden"
        busy={approve.isPending}
        onConfirm={() => approve.mutate()}
        onCancel={() => setDialog(null)}
      >
        <p className="utrecht-paragraph">
          ketenpoort verstuurt de melding dan direct naar DUO. DUO registreert haar met een meldingsnummer en
          stuurt haar door naar de leerplichtambtenaar van de woongemeente
          {sendsTo.some((d) => d.destination === 'LEERPLICHT')
            ? '; de gemeente krijgt haar ook rechtstreeks'
            : ''}
          . U volgt de melding daarna hier in de keten.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'dismiss'}
        title="Deze melding niet versturen?"
        confirmLabel="Niet melden"
        busy={dismiss.isPending}
        danger
        onConfirm={() => {
          if (reason.trim() === '') {
            setReasonError(true);
            return;
          }
          dismiss.mutate();
        }}
        onCancel={() => setDialog(null)}
      >
        <p className="utrecht-paragraph">
          Er gaat dan niets naar DUO of de gemeente. Uw reden wordt vastgelegd bij de melding, zodat later te
          zien is waarom de school niet heeft gemeld.
        </p>
        <FormField type="text" invalid={reasonError}>
          <div className="utrecht-form-field__label">
            <FormLabel htmlFor="reden">Reden (verplicht)</FormLabel>
          </div>
          {reasonError && (
            <p className="utrecht-form-field-error-message" id="reden-fout">
              Geef een reden op.
            </p>
          )}
          <div className="utrecht-form-field__input">
            <textarea
              id="reden"
              className="utrecht-textarea utrecht-textarea--html-textarea"
              rows={3}
              maxLength={1000}
              value={reason}
              aria-describedby={reasonError ? 'reden-fout' : undefined}
              aria-invalid={reasonError || undefined}
              onChange={(e) => {
                setReason(e.target.value);
                setReasonError(false);
              }}
            />
          </div>
        </FormField>
      </ConfirmDialog>
    </section>
  );
}

const STEPS: readonly { status: string; text: string }[] = [
  { status: 'APPROVED', text: 'Goedgekeurd door de school' },
  { status: 'SENT', text: 'Verzonden' },
  { status: 'REGISTERED', text: 'Geregistreerd bij DUO' },
  { status: 'IN_BEHANDELING', text: 'In behandeling bij leerplicht' },
  { status: 'AFGESLOTEN', text: 'Afgesloten' },
];
const RANK: Record<string, number> = {
  APPROVED: 0,
  QUEUED: 0,
  SENT: 1,
  REGISTERED: 2,
  IN_BEHANDELING: 3,
  AFGESLOTEN: 4,
  TER_KENNISGEVING_AANGENOMEN: 4,
};

/** The report's way through the chain: approved → sent → registered (DUO number) → in behandeling → afgesloten. */
function Timeline(props: {
  report: Report;
  deliveries: readonly Delivery[];
  history: readonly ReportStatusChange[];
}) {
  const { report, history } = props;
  const reached = Math.max(-1, ...history.map((h) => RANK[h.status] ?? -1), RANK[report.status] ?? -1);
  const duoNumber =
    props.deliveries.find((d) => d.destination === 'DUO' && d.externalRef)?.externalRef ??
    report.chain?.externalRef ??
    null;
  const firstAt = (step: number) => history.find((h) => (RANK[h.status] ?? -1) >= step)?.at ?? null;
  const closing = [...history].reverse().find((h) => h.closingReason);
  return (
    <ol className="kp-timeline" aria-label="Verloop in de keten">
      {STEPS.map((step, i) => {
        const done = i <= reached;
        const finalLabel =
          i === 4 && report.status === 'TER_KENNISGEVING_AANGENOMEN'
            ? 'Ter kennisgeving aangenomen'
            : step.text;
        return (
          <li
            key={step.status}
            className={done ? 'kp-timeline__step kp-timeline__step--done' : 'kp-timeline__step'}
          >
            <span className="kp-timeline__marker" aria-hidden="true">
              {done ? '✓' : i + 1}
            </span>
            <div>
              <strong>{finalLabel}</strong>{' '}
              <span className="kp-visually-hidden">{done ? '(gebeurd)' : '(nog niet)'}</span>
              {done && firstAt(i) && <div className="kp-muted">{formatDateTime(firstAt(i))}</div>}
              {i === 2 && done && duoNumber && (
                <div>
                  DUO-meldingsnummer: <strong data-testid="duo-nummer">{duoNumber}</strong>
                </div>
              )}
              {i === 4 && done && closing?.closingReason && (
                <div>
                  Reden: {label(CLOSING_REASON_LABELS, closing.closingReason)}
                  {closing.closingExplanation && (
                    <> · {label(CLOSING_EXPLANATION_LABELS, closing.closingExplanation)}</>
                  )}
                  {closing.contact && <> · contactpersoon: {closing.contact}</>}
                </div>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function Deliveries({ deliveries }: { deliveries: readonly Delivery[] }) {
  if (deliveries.length === 0) return <p className="utrecht-paragraph">Nog geen verzendingen gepland.</p>;
  return (
    <div className="utrecht-table-container utrecht-table-container--overflow-inline">
      <table className="utrecht-table utrecht-table--html-table">
        <caption className="utrecht-table__caption">Per bestemming</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            <th className="utrecht-table__header-cell" scope="col">
              Bestemming
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              Bericht
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              Stand
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              Kenmerk
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              Toelichting
            </th>
          </tr>
        </thead>
        <tbody className="utrecht-table__body">
          {deliveries.map((d) => (
            <tr className="utrecht-table__row" key={d.id}>
              <td className="utrecht-table__cell">
                {label(DESTINATION_LABELS, d.destination)}
                <br />
                <span className="kp-muted">
                  {label(RECIPIENT_KIND_LABELS, d.recipient.kind)}{' '}
                  {d.recipient.kind === 'DUO' ? '' : d.recipient.id}
                </span>
              </td>
              <td className="utrecht-table__cell">{label(DELIVERY_OPERATION_LABELS, d.operation)}</td>
              <td className="utrecht-table__cell">
                {label(DELIVERY_STATUS_LABELS, d.status)}
                {d.deliveredAt && <div className="kp-muted">{formatDateTime(d.deliveredAt)}</div>}
              </td>
              <td className="utrecht-table__cell">{d.externalRef ?? '—'}</td>
              <td className="utrecht-table__cell">
                {d.lastError ? (
                  <>
                    {deliveryProblemText(d.lastError.code)}
                    {d.status === 'REJECTED' && (
                      <div className="kp-muted">Antwoord van de bestemming: {d.lastError.reason}</div>
                    )}
                  </>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Follow-ups on a report that is out: an end date once the pupil is back, or a withdrawal. */
function FollowUps({ report }: { report: Report }) {
  const queries = useQueryClient();
  const [dialog, setDialog] = useState<'end' | 'withdraw' | null>(null);
  const [endDate, setEndDate] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const base = `/v1/schools/${report.school}/reports/${report.id}`;
  const after = (text: string) => {
    setDialog(null);
    setDone(text);
    void queries.invalidateQueries({ queryKey: keys.chain(report.school, report.id) });
    void queries.invalidateQueries({ queryKey: keys.reports(report.school) });
  };
  const end = useMutation({
    mutationFn: () => api<{ id: string }>(`${base}/end-date`, { method: 'POST', body: { endDate } }),
    onSuccess: () =>
      after(`De einddatum ${formatDate(endDate)} is doorgegeven; de wijziging gaat naar DUO en de gemeente.`),
  });
  const withdraw = useMutation({
    mutationFn: () => api<{ id: string }>(`${base}/withdraw`, { method: 'POST' }),
    onSuccess: () =>
      after('De intrekking is verstuurd; DUO en de gemeente zetten de melding op ingetrokken.'),
  });
  return (
    <section aria-labelledby="vervolg">
      <h2 className="utrecht-heading-2" id="vervolg">
        Vervolg
      </h2>
      {done && (
        <Notice kind="ok">
          <p className="utrecht-paragraph">{done}</p>
        </Notice>
      )}
      <Problem error={end.error ?? withdraw.error} />
      <div className="kp-actions">
        <Button appearance="primary-action-button" onClick={() => setDialog('end')}>
          Einddatum doorgeven…
        </Button>
        <Button appearance="secondary-action-button" onClick={() => setDialog('withdraw')}>
          Melding intrekken…
        </Button>
      </div>
      <ConfirmDialog
        open={dialog === 'end'}
        title="Einddatum doorgeven"
        confirmLabel="Einddatum versturen"
        busy={end.isPending}
        onConfirm={() => end.mutate()}
        onCancel={() => setDialog(null)}
      >
        <p className="utrecht-paragraph">
          Is de leerling weer op school? Geef de laatste verzuimdag door. ketenpoort stuurt een wijziging van
          de melding naar DUO (en rechtstreeks naar de gemeente als die de melding kreeg); het meldingsnummer
          blijft hetzelfde.
        </p>
        <FormField type="text">
          <div className="utrecht-form-field__label">
            <FormLabel htmlFor="einddatum">Laatste verzuimdag</FormLabel>
          </div>
          <div className="utrecht-form-field__input">
            <Textbox
              id="einddatum"
              type="date"
              required
              value={endDate}
              onChange={(e) => setEndDate(e.target.value)}
            />
          </div>
        </FormField>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'withdraw'}
        title="Melding intrekken?"
        confirmLabel="Ja, intrekken"
        danger
        busy={withdraw.isPending}
        onConfirm={() => withdraw.mutate()}
        onCancel={() => setDialog(null)}
      >
        <p className="utrecht-paragraph">
          De melding is dan niet meer geldig: DUO en de gemeente zetten haar op ingetrokken. Doe dit alleen
          als de melding ten onrechte is gedaan.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function History({ history }: { history: readonly ReportStatusChange[] }) {
  if (history.length === 0) return null;
  return (
    <details className="kp-details">
      <summary>Volledige geschiedenis ({history.length})</summary>
      <table className="utrecht-table utrecht-table--html-table">
        <caption className="utrecht-table__caption">Alle statuswijzigingen</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            <th className="utrecht-table__header-cell" scope="col">
              Moment
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              Status
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              Door
            </th>
          </tr>
        </thead>
        <tbody className="utrecht-table__body">
          {history.map((h, i) => (
            <tr className="utrecht-table__row" key={i}>
              <td className="utrecht-table__cell">{formatDateTime(h.at)}</td>
              <td className="utrecht-table__cell">{label(REPORT_STATUS_LABELS, h.status)}</td>
              <td className="utrecht-table__cell">
                {h.source === 'KETENPOORT' ? 'ketenpoort' : label(DESTINATION_LABELS, h.source)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** One report: the review before approval, and afterwards its way through the chain. */
export function ReportPage() {
  const { school = '', id = '' } = useParams();
  const chain = useChain(school, id);
  const signals = useSignals(school);
  // Names are for staff of the pupil's school only (ADR 0019); others see the number, as before.
  const staff = useSignedIn().actor.role === 'school_staff';
  const pupil = usePupilOverview(school, chain.data?.report.pupil.localId ?? '', staff && chain.isSuccess);
  if (chain.isPending) return <Loading what="Melding" />;
  if (chain.isError) {
    return (
      <>
        <PageHeading title="Melding">Melding</PageHeading>
        <Problem error={chain.error} />
      </>
    );
  }
  const { report, deliveries, history } = chain.data;
  const title = `${label(REPORT_KIND_LABELS, report.kind)}, leerling ${report.pupil.localId}`;
  return (
    <>
      <p className="utrecht-paragraph">
        <Link className="utrecht-link" to={`/meldingen?school=${report.school}`}>
          ← Terug naar de meldingen
        </Link>
        {' · '}
        <Link className="utrecht-link" to={`/dossiers/${report.id}`}>
          Het verzuimdossier van deze melding
        </Link>
      </p>
      <PageHeading title={title}>{title}</PageHeading>
      <Summary
        report={report}
        hours={hoursOf(report, signals.data?.items)}
        pupil={staff ? { name: pupil.data?.pupil.displayName ?? null } : null}
      />
      {report.status === 'DRAFT' ? (
        <DraftReview report={report} />
      ) : (
        <>
          {report.status === 'DISMISSED' ? (
            <Notice>
              <p className="utrecht-paragraph">
                Niet gemeld door {report.decidedBy ?? 'de school'} op {formatDateTime(report.decidedAt)}.
                Reden: {report.dismissReason}
              </p>
            </Notice>
          ) : (
            <section aria-labelledby="in-de-keten">
              <h2 className="utrecht-heading-2" id="in-de-keten">
                In de keten
              </h2>
              <Timeline report={report} deliveries={deliveries} history={history} />
              <Deliveries deliveries={deliveries} />
              <History history={history} />
            </section>
          )}
          {FOLLOW_UP.includes(report.status) && report.action === 'REPORT' && <FollowUps report={report} />}
        </>
      )}
    </>
  );
}
