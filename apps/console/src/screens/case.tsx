import { Button } from '@utrecht/button-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { Textbox } from '@utrecht/textbox-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client.js';
import { type CaseActionResult, type ReportCaseDetail, caseKeys, useCase } from '../api/case-queries.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { PageHeading } from '../components/page-heading.js';
import { Loading, Notice, Problem } from '../components/problem.js';
import { formatDate, formatDateTime, todayInAmsterdam } from '../labels/format.js';
import {
  CASE_OUTCOME_LABELS,
  CASE_OUTCOME_REASON_LABELS,
  CASE_STATE_LABELS,
  REPORT_ACTION_LABELS,
  REPORT_KIND_LABELS,
  REPORT_STATUS_LABELS,
  label,
} from '../labels/labels.js';

function period(fields: Readonly<Record<string, unknown>>): string {
  const begin = fields['absence.beginDate'];
  const end = fields['absence.endDate'];
  return `${formatDate(typeof begin === 'string' ? begin : null)} – ${formatDate(typeof end === 'string' ? end : null)}`;
}

/** One timeline of the case: each report with what it is, its period, where it stands in the chain. */
function Timeline({ found }: { found: ReportCaseDetail }) {
  return (
    <section aria-labelledby="tijdlijn">
      <h2 className="utrecht-heading-2" id="tijdlijn">
        Tijdlijn
      </h2>
      <ol className="kp-case-timeline">
        {found.reports.map((r) => (
          <li key={r.id} className="kp-case-timeline__item">
            <p className="utrecht-paragraph">
              <strong>
                {r.action === 'REPORT'
                  ? label(REPORT_KIND_LABELS, r.kind)
                  : label(REPORT_ACTION_LABELS, r.action)}
              </strong>
              {' · '}
              {period(r.fields)}
            </p>
            <p className="utrecht-paragraph kp-muted">
              {label(REPORT_STATUS_LABELS, r.status)}
              {r.chain?.externalRef ? ` · DUO-meldingsnummer ${r.chain.externalRef}` : ''}
              {r.deadline && r.status === 'DRAFT' ? ` · uiterlijk melden ${formatDate(r.deadline)}` : ''}
              {r.decidedAt ? ` · beoordeeld ${formatDateTime(r.decidedAt)}` : ''}
              {r.dismissReason ? ` · reden: ${r.dismissReason}` : ''}
            </p>
            <p className="utrecht-paragraph">
              <Link className="utrecht-link" to={`/meldingen/${r.school}/${r.id}`}>
                Melding bekijken
                <span className="kp-visually-hidden">
                  {' '}
                  (
                  {r.action === 'REPORT'
                    ? label(REPORT_KIND_LABELS, r.kind)
                    : label(REPORT_ACTION_LABELS, r.action)}
                  , {period(r.fields)})
                </span>
              </Link>
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Results({
  results,
  reports,
}: {
  results: readonly CaseActionResult[];
  reports: ReportCaseDetail['reports'];
}) {
  return (
    <ul className="utrecht-unordered-list">
      {results.map((r) => {
        const report = reports.find((x) => x.id === r.reportId);
        return (
          <li className="utrecht-unordered-list__item" key={r.reportId}>
            {report ? `${label(REPORT_KIND_LABELS, report.kind)}, ${period(report.fields)}: ` : ''}
            {label(CASE_OUTCOME_LABELS, r.outcome)}
            {'code' in r && CASE_OUTCOME_REASON_LABELS[r.code]
              ? ` (${CASE_OUTCOME_REASON_LABELS[r.code]})`
              : ''}
          </li>
        );
      })}
    </ul>
  );
}

function Actions({ found }: { found: ReportCaseDetail }) {
  const queries = useQueryClient();
  const [dialog, setDialog] = useState<'approve' | 'end' | 'resend' | null>(null);
  const [endDate, setEndDate] = useState('');
  const [endDateError, setEndDateError] = useState(false);
  const [done, setDone] = useState<{ text: string; results: readonly CaseActionResult[] } | null>(null);
  const drafts = found.reports.filter((r) => r.status === 'DRAFT');
  const after = (text: string, answer: { case: ReportCaseDetail; results: CaseActionResult[] }) => {
    setDialog(null);
    setDone({ text, results: answer.results });
    queries.setQueryData(caseKeys.case(found.id), answer.case);
    void queries.invalidateQueries({ queryKey: ['worklist'] });
    void queries.invalidateQueries({ queryKey: ['reports'] });
  };
  const approve = useMutation({
    mutationFn: () =>
      api<{ case: ReportCaseDetail; results: CaseActionResult[] }>(`/v1/cases/${found.id}/approve`, {
        method: 'POST',
      }),
    onSuccess: (answer) => after('De conceptmeldingen zijn goedgekeurd.', answer),
  });
  const end = useMutation({
    mutationFn: (date: string) =>
      api<{ case: ReportCaseDetail; results: CaseActionResult[] }>(`/v1/cases/${found.id}/end-date`, {
        method: 'POST',
        body: { endDate: date },
      }),
    onSuccess: (answer, date) => after(`De einddatum ${formatDate(date)} staat op het dossier.`, answer),
  });
  const today = todayInAmsterdam();
  return (
    <section aria-labelledby="acties">
      <h2 className="utrecht-heading-2" id="acties">
        Acties
      </h2>
      {done && (
        <Notice kind="ok">
          <p className="utrecht-paragraph">{done.text}</p>
          <Results results={done.results} reports={found.reports} />
        </Notice>
      )}
      {found.endDate !== null && found.awaitingEndDate.length > 0 && (
        <Notice kind="warning">
          <p className="utrecht-paragraph">
            {found.awaitingEndDate.length === 1
              ? '1 melding van dit dossier is verzonden nadat u de einddatum vastlegde'
              : `${found.awaitingEndDate.length} meldingen van dit dossier zijn verzonden nadat u de einddatum vastlegde`}
            ; DUO en de gemeente kennen de einddatum daarvan nog niet.
          </p>
        </Notice>
      )}
      <Problem error={approve.error ?? end.error} />
      <div className="kp-actions">
        {drafts.length > 0 && (
          <Button appearance="primary-action-button" onClick={() => setDialog('approve')}>
            Alle conceptmeldingen goedkeuren ({drafts.length})
          </Button>
        )}
        {found.endDate === null && (
          <Button appearance="secondary-action-button" onClick={() => setDialog('end')}>
            Einddatum vastleggen…
          </Button>
        )}
        {found.endDate !== null && found.awaitingEndDate.length > 0 && (
          <Button appearance="secondary-action-button" onClick={() => setDialog('resend')}>
            Einddatum ook doorgeven aan de verzonden meldingen…
          </Button>
        )}
      </div>
      <ConfirmDialog
        open={dialog === 'approve'}
        title={`${drafts.length} ${drafts.length === 1 ? 'conceptmelding' : 'conceptmeldingen'} goedkeuren?`}
        confirmLabel="Ja, alle goedkeuren en melden"
        busy={approve.isPending}
        onConfirm={() => approve.mutate()}
        onCancel={() => setDialog(null)}
      >
        <p className="utrecht-paragraph">
          ketenpoort verstuurt elke melding dan direct naar DUO, elk met het privacybeleid dat nu geldt, en
          legt uw goedkeuring per melding vast. DUO registreert elke melding met een eigen meldingsnummer en
          stuurt haar door naar de leerplichtambtenaar van de woongemeente.
        </p>
        <ul className="utrecht-unordered-list">
          {drafts.map((r) => (
            <li className="utrecht-unordered-list__item" key={r.id}>
              {label(REPORT_KIND_LABELS, r.kind)}, {period(r.fields)}
            </li>
          ))}
        </ul>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'end'}
        title="Einddatum vastleggen"
        confirmLabel="Einddatum vastleggen"
        busy={end.isPending}
        onConfirm={() => {
          if (!/^\d{4}-\d{2}-\d{2}$/.test(endDate)) {
            setEndDateError(true);
            return;
          }
          end.mutate(endDate);
        }}
        onCancel={() => setDialog(null)}
      >
        <p className="utrecht-paragraph">
          Is de leerling weer op school? Geef de einddatum van het verzuim. Die komt op het dossier; elke
          melding van dit dossier die al verzonden is, krijgt een wijziging met de einddatum naar DUO (en
          rechtstreeks naar de gemeente als die de melding kreeg), en conceptmeldingen krijgen de einddatum
          mee als u ze goedkeurt. Nieuw verzuim na deze datum wordt een nieuw dossier.
        </p>
        <FormField type="text" invalid={endDateError}>
          <div className="utrecht-form-field__label">
            <FormLabel htmlFor="dossier-einddatum">Einddatum</FormLabel>
          </div>
          {endDateError && (
            <p className="utrecht-form-field-error-message" id="dossier-einddatum-fout">
              Kies een datum.
            </p>
          )}
          <div className="utrecht-form-field__input">
            <Textbox
              id="dossier-einddatum"
              type="date"
              required
              min={found.beginDate}
              max={today}
              value={endDate}
              aria-describedby={endDateError ? 'dossier-einddatum-fout' : undefined}
              aria-invalid={endDateError || undefined}
              onChange={(e) => {
                setEndDate(e.target.value);
                setEndDateError(false);
              }}
            />
          </div>
        </FormField>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'resend'}
        title="Einddatum doorgeven aan de verzonden meldingen?"
        confirmLabel="Ja, einddatum doorgeven"
        busy={end.isPending}
        onConfirm={() => found.endDate && end.mutate(found.endDate)}
        onCancel={() => setDialog(null)}
      >
        <p className="utrecht-paragraph">
          ketenpoort stuurt voor elke verzonden melding van dit dossier die de einddatum{' '}
          {formatDate(found.endDate)} nog niet heeft een wijziging naar DUO (en rechtstreeks naar de gemeente
          als die de melding kreeg). Meldingen die de einddatum al hebben, krijgen geen tweede wijziging.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** A case (dossier): one pupil, one absence episode, one timeline, and actions on all its reports at once. */
export function CasePage() {
  const { id = '' } = useParams();
  const found = useCase(id);
  return (
    <>
      <PageHeading title="Dossier">
        {found.data ? `Dossier leerling ${found.data.pupil.localId}` : 'Dossier'}
      </PageHeading>
      <p className="utrecht-paragraph">
        <Link className="utrecht-link" to="/werkvoorraad">
          Terug naar de werkvoorraad
        </Link>
      </p>
      <Problem error={found.error} />
      {found.isPending ? (
        <Loading what="Dossier" />
      ) : (
        found.data && (
          <>
            <dl className="kp-summary">
              <div>
                <dt>School</dt>
                <dd>School {found.data.school}</dd>
              </div>
              <div>
                <dt>Verzuim vanaf</dt>
                <dd>{formatDate(found.data.beginDate)}</dd>
              </div>
              <div>
                <dt>Einddatum</dt>
                <dd>{found.data.endDate ? formatDate(found.data.endDate) : 'nog niet bekend'}</dd>
              </div>
              <div>
                <dt>Stand</dt>
                <dd>{label(CASE_STATE_LABELS, found.data.state)}</dd>
              </div>
            </dl>
            <Actions found={found.data} />
            <Timeline found={found.data} />
          </>
        )
      )}
    </>
  );
}
