import { Button } from '@utrecht/button-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { SelectField } from '../components/fields.js';
import { PageHeading } from '../components/page-heading.js';
import { Loading, Notice, Problem } from '../components/problem.js';
import { formatClockMinutes, formatDate, formatDateTime, todayInAmsterdam } from '../labels/format.js';
import {
  AGE_GROUP_LABELS,
  CLOSING_EXPLANATION_LABELS,
  CLOSING_REASON_LABELS,
  OFFICER_DECISION_LABELS,
  OFFICER_OPERATION_LABELS,
  REPORT_KIND_LABELS,
  REPORT_STATUS_LABELS,
  STATUS_SOURCE_LABELS,
  label,
} from '../labels/labels.js';
import { KeyPicker } from './key-picker.js';
import { type OfficerReport, encryptNote } from './key-store.js';
import { useDecrypted, useDecryptedNotes, useLoadedKey, useOfficerReport } from './officer-api.js';

const DEMO_KEY_CODE = '0312';

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="kp-summary__row">
      <dt>{term}</dt>
      <dd>{children ?? '—'}</dd>
    </div>
  );
}

function yesNo(value: boolean | string | undefined): string {
  if (value === undefined) return '—';
  if (value === true) return 'Ja';
  if (value === false) return 'Nee';
  return value;
}

/** The decrypted report in Dutch: pupil, school, kind, period, hours, the school's explanation and contact. */
function ReportBody({ report }: { report: OfficerReport }) {
  const a = report.absence;
  const lessons = a?.perDay?.reduce((sum, d) => sum + (d.lessonHours?.length ?? 0), 0);
  return (
    <>
      <section aria-labelledby="leerling">
        <h2 className="utrecht-heading-2" id="leerling">
          Leerling
        </h2>
        <dl className="kp-summary">
          <Row term="Naam">
            {report.pupil?.name ? (
              <strong>{report.pupil.name}</strong>
            ) : (
              <span className="kp-muted">naam niet meegestuurd</span>
            )}
          </Row>
          <Row term="Geboortedatum">
            {report.pupil?.birthDate ? formatDate(report.pupil.birthDate) : undefined}
          </Row>
          <Row term="BSN">{report.pupil?.bsn}</Row>
          <Row term="Onderwijsnummer">{report.pupil?.onderwijsnummer}</Row>
          <Row term="Adres">{report.pupil?.address}</Row>
          <Row term="Telefoon">{report.pupil?.phone}</Row>
          <Row term="Ouder of verzorger">
            {[report.parent?.name, report.parent?.phone].filter(Boolean).join(', ') || undefined}
          </Row>
        </dl>
      </section>
      <section aria-labelledby="school">
        <h2 className="utrecht-heading-2" id="school">
          School en locatie
        </h2>
        <dl className="kp-summary">
          <Row term="School">{report.school?.id}</Row>
          <Row term="BRIN en vestiging">
            {[report.school?.brin, report.school?.vestiging].filter(Boolean).join(' ') || undefined}
          </Row>
          <Row term="Locatie">{report.school?.locationName}</Row>
        </dl>
      </section>
      <section aria-labelledby="verzuim">
        <h2 className="utrecht-heading-2" id="verzuim">
          Het verzuim
        </h2>
        <dl className="kp-summary">
          <Row term="Soort melding">{label(REPORT_KIND_LABELS, report.kind)}</Row>
          <Row term="Periode">
            {formatDate(a?.beginDate)} – {a?.endDate ? formatDate(a.endDate) : 'loopt nog'}
          </Row>
          <Row term="Lesuren">
            {a?.hours !== undefined ? `${a.hours} lesuren` : lessons ? `${lessons} lesuren` : undefined}
          </Row>
          <Row term="Klokuren">
            {a?.clockMinutes !== undefined
              ? formatClockMinutes(a.clockMinutes)
              : 'niet in de melding (de school meldt lesuren)'}
          </Row>
          <Row term="Dagen met verzuim">
            {a?.days !== undefined ? `${a.days} dagen` : a?.perDay ? `${a.perDay.length} dagen` : undefined}
          </Row>
          {a?.perDay && a.perDay.length > 0 && (
            <Row term="Per dag">
              <ul className="utrecht-unordered-list">
                {a.perDay.map((d) => (
                  <li className="utrecht-unordered-list__item" key={d.date}>
                    {formatDate(d.date)}: lesuur {(d.lessonHours ?? []).join(', ')}
                  </li>
                ))}
              </ul>
            </Row>
          )}
        </dl>
      </section>
      <section aria-labelledby="toelichting">
        <h2 className="utrecht-heading-2" id="toelichting">
          Toelichting van de school
        </h2>
        <dl className="kp-summary">
          <Row term="Vermoedelijke reden">{report.report?.suspectedReason}</Row>
          <Row term="Wat de school al deed">{report.report?.actionTaken}</Row>
          <Row term="Actie van de gemeente gewenst">{yesNo(report.report?.municipalActionWanted)}</Row>
          <Row term="Opmerkingen">{report.registration?.remarks}</Row>
        </dl>
      </section>
      <section aria-labelledby="contact">
        <h2 className="utrecht-heading-2" id="contact">
          Contactpersoon van de school
        </h2>
        <dl className="kp-summary">
          <Row term="Naam">{report.reporter?.name}</Row>
          <Row term="Functie">{report.reporter?.role}</Row>
          <Row term="Telefoon">{report.reporter?.phone}</Row>
          <Row term="E-mail">{report.reporter?.email}</Row>
        </dl>
      </section>
    </>
  );
}

type Dialog = 'IN_BEHANDELING' | 'AFGESLOTEN' | 'TER_KENNISGEVING_AANGENOMEN' | null;

/** `/gemeente/:code/:id`: read one report, handle it, record the decision (encrypted to the municipality). */
export function OfficerReportPage() {
  const { code = '', id = '' } = useParams();
  const detail = useOfficerReport(code, id);
  const key = useLoadedKey();
  const usableKey = key !== null && key.code === code ? key : null;
  const entries = detail.data?.entries ?? [];
  const decrypted = useDecrypted(
    entries.map((e) => e.jwe),
    usableKey,
  );
  const notes = useDecryptedNotes(detail.data?.caseNotes ?? [], usableKey);
  const queries = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [reason, setReason] = useState('TERUG_NAAR_SCHOOL');
  const [explanation, setExplanation] = useState('LEERLING_GEZIEN_DOOR_GEMEENTE');
  const [contact, setContact] = useState('');
  const [decisionType, setDecisionType] = useState('');
  const [decisionDate, setDecisionDate] = useState(todayInAmsterdam());
  const [noteText, setNoteText] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const contactId = useId();
  const dateId = useId();
  const notesId = useId();
  const refresh = () => void queries.invalidateQueries({ queryKey: ['leerplicht', code] });
  const setStatus = useMutation({
    mutationFn: (status: Exclude<Dialog, null>) =>
      api<{ result: string }>(
        `/v1/leerplicht/${encodeURIComponent(code)}/reports/${encodeURIComponent(id)}/status`,
        {
          method: 'POST',
          body: {
            status,
            ...(status === 'AFGESLOTEN' ? { closingReason: reason, closingExplanation: explanation } : {}),
            ...(contact.trim() ? { contact: contact.trim() } : {}),
          },
        },
      ),
    onMutate: () => setSaved(null),
    onSuccess: (_, status) => {
      setDialog(null);
      setSaved(
        `De status is gewijzigd in "${label(REPORT_STATUS_LABELS, status).toLowerCase()}". De school ziet dit.`,
      );
      refresh();
    },
    onError: () => setDialog(null),
  });
  const addNote = useMutation({
    mutationFn: async () => {
      if (!usableKey) throw new Error('no key');
      const jwe = await encryptNote(
        {
          ...(decisionType ? { decision: { type: decisionType, date: decisionDate } } : {}),
          ...(noteText.trim() ? { notes: noteText.trim() } : {}),
          writtenAt: new Date().toISOString(),
        },
        usableKey,
      );
      return api(`/v1/leerplicht/${encodeURIComponent(code)}/reports/${encodeURIComponent(id)}/case-notes`, {
        method: 'POST',
        body: { jwe },
      });
    },
    onMutate: () => setSaved(null),
    onSuccess: () => {
      setNoteText('');
      setDecisionType('');
      setSaved('Het besluit en de notitie zijn versleuteld opgeslagen. De school ziet ze niet.');
      refresh();
    },
  });

  if (detail.isPending) return <Loading what="Melding" />;
  if (detail.isError) {
    return (
      <>
        <PageHeading title="Melding">Melding</PageHeading>
        <Problem error={detail.error} />
        <p className="utrecht-paragraph">
          <Link className="utrecht-link" to="/gemeente">
            Terug naar de meldingen
          </Link>
        </p>
      </>
    );
  }
  const data = detail.data;
  const latest = entries.at(-1);
  const opened = latest ? decrypted.get(latest.jwe) : undefined;
  const report = opened?.ok ? opened.report : undefined;
  const statusText = label(REPORT_STATUS_LABELS, data.status);
  return (
    <>
      <p className="utrecht-paragraph">
        <Link className="utrecht-link" to={`/gemeente?gemeente=${encodeURIComponent(code)}`}>
          Terug naar de meldingen
        </Link>
      </p>
      <PageHeading title="Melding gemeente">
        {report?.pupil?.name
          ? `Melding over ${report.pupil.name}`
          : report?.pupil?.birthDate
            ? `Melding over een leerling geboren ${formatDate(report.pupil.birthDate)}`
            : 'Melding'}
      </PageHeading>
      <dl className="kp-summary">
        <Row term="Status">{statusText}</Row>
        <Row term="Soort melding">{label(REPORT_KIND_LABELS, latest?.kind)}</Row>
        <Row term="School">
          {[latest?.school, latest?.locationName].filter(Boolean).join(', ') || undefined}
        </Row>
        <Row term="Leeftijd">{latest?.ageGroup ? label(AGE_GROUP_LABELS, latest.ageGroup) : undefined}</Row>
        <Row term="Ontvangen">{formatDateTime(entries[0]?.storedAt)}</Row>
        <Row term="Berichten">
          {entries
            .map((e) => `${label(OFFICER_OPERATION_LABELS, e.operation)} (${formatDateTime(e.storedAt)})`)
            .join('; ')}
        </Row>
      </dl>
      <KeyPicker code={code} demoKeyCode={DEMO_KEY_CODE} />
      {opened && !opened.ok && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          <div className="utrecht-alert__content">
            <p className="utrecht-paragraph">{opened.reason}</p>
          </div>
        </div>
      )}
      {report && (
        <>
          <Notice kind="ok">
            <p className="utrecht-paragraph">
              Ontsleuteld in deze browser; de ondertekening van ketenpoort is gecontroleerd.
            </p>
          </Notice>
          <ReportBody report={report} />
        </>
      )}

      <section aria-labelledby="behandeling">
        <h2 className="utrecht-heading-2" id="behandeling">
          Behandeling
        </h2>
        <p className="utrecht-paragraph">
          De status, de reden en toelichting van afsluiten en de contactpersoon gaan terug naar de school. Een
          afgesloten of ter kennisgeving aangenomen melding kan niet meer van status veranderen. "Overgedragen
          aan derden" bestaat sinds 2020 niet meer.
        </p>
        {saved && (
          <Notice kind="ok">
            <p className="utrecht-paragraph">{saved}</p>
          </Notice>
        )}
        <Problem error={setStatus.error} />
        <FormField type="text">
          <div className="utrecht-form-field__label">
            <FormLabel htmlFor={contactId}>Contactpersoon voor de school (naam, functie)</FormLabel>
          </div>
          <div className="utrecht-form-field__input">
            <input
              id={contactId}
              className="utrecht-textbox utrecht-textbox--html-input"
              maxLength={200}
              value={contact}
              onChange={(e) => setContact(e.target.value)}
            />
          </div>
        </FormField>
        <div className="kp-actions">
          <Button appearance="primary-action-button" onClick={() => setDialog('IN_BEHANDELING')}>
            In behandeling nemen
          </Button>
          <Button appearance="secondary-action-button" onClick={() => setDialog('AFGESLOTEN')}>
            Afsluiten
          </Button>
          <Button
            appearance="secondary-action-button"
            onClick={() => setDialog('TER_KENNISGEVING_AANGENOMEN')}
          >
            Ter kennisgeving aannemen
          </Button>
        </div>
        <ConfirmDialog
          open={dialog === 'IN_BEHANDELING'}
          title="Melding in behandeling nemen?"
          confirmLabel="In behandeling nemen"
          busy={setStatus.isPending}
          onConfirm={() => setStatus.mutate('IN_BEHANDELING')}
          onCancel={() => setDialog(null)}
        >
          <p className="utrecht-paragraph">De school ziet dat de gemeente de melding in behandeling heeft.</p>
        </ConfirmDialog>
        <ConfirmDialog
          open={dialog === 'AFGESLOTEN'}
          title="Melding afsluiten?"
          confirmLabel="Afsluiten"
          busy={setStatus.isPending}
          onConfirm={() => setStatus.mutate('AFGESLOTEN')}
          onCancel={() => setDialog(null)}
        >
          <SelectField
            label="Reden van afsluiten"
            value={reason}
            onChange={setReason}
            options={Object.keys(CLOSING_REASON_LABELS).map((k) => ({
              value: k,
              text: label(CLOSING_REASON_LABELS, k),
            }))}
          />
          <SelectField
            label="Toelichting"
            value={explanation}
            onChange={setExplanation}
            options={Object.keys(CLOSING_EXPLANATION_LABELS).map((k) => ({
              value: k,
              text: label(CLOSING_EXPLANATION_LABELS, k),
            }))}
          />
          <p className="utrecht-paragraph">
            De school ziet de reden en de toelichting. Daarna kan de status niet meer veranderen.
          </p>
        </ConfirmDialog>
        <ConfirmDialog
          open={dialog === 'TER_KENNISGEVING_AANGENOMEN'}
          title="Melding ter kennisgeving aannemen?"
          confirmLabel="Ter kennisgeving aannemen"
          busy={setStatus.isPending}
          onConfirm={() => setStatus.mutate('TER_KENNISGEVING_AANGENOMEN')}
          onCancel={() => setDialog(null)}
        >
          <p className="utrecht-paragraph">
            De gemeente onderneemt geen actie. De school ziet dit; daarna kan de status niet meer veranderen.
          </p>
        </ConfirmDialog>
      </section>

      <section aria-labelledby="besluit">
        <h2 className="utrecht-heading-2" id="besluit">
          Besluit en notities
        </h2>
        <p className="utrecht-paragraph">
          Alleen voor de gemeente: uw besluit en notities worden in deze browser versleuteld met de sleutel
          van de gemeente. ketenpoort kan ze niet lezen en de school ziet ze nooit.
        </p>
        {usableKey === null ? (
          <p className="utrecht-paragraph kp-muted">Kies eerst de sleutel van de gemeente.</p>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              addNote.mutate();
            }}
          >
            <SelectField
              label="Besluit"
              value={decisionType}
              onChange={setDecisionType}
              options={[
                { value: '', text: 'Geen besluit (alleen een notitie)' },
                ...Object.keys(OFFICER_DECISION_LABELS).map((k) => ({
                  value: k,
                  text: label(OFFICER_DECISION_LABELS, k),
                })),
              ]}
            />
            <FormField type="text">
              <div className="utrecht-form-field__label">
                <FormLabel htmlFor={dateId}>Datum van het besluit</FormLabel>
              </div>
              <div className="utrecht-form-field__input">
                <input
                  id={dateId}
                  type="date"
                  className="utrecht-textbox utrecht-textbox--html-input kp-narrow"
                  value={decisionDate}
                  onChange={(e) => setDecisionDate(e.target.value)}
                />
              </div>
            </FormField>
            <FormField type="text">
              <div className="utrecht-form-field__label">
                <FormLabel htmlFor={notesId}>Notities</FormLabel>
              </div>
              <div className="utrecht-form-field__input">
                <textarea
                  id={notesId}
                  className="utrecht-textarea utrecht-textarea--html-textarea"
                  rows={4}
                  maxLength={4000}
                  value={noteText}
                  onChange={(e) => setNoteText(e.target.value)}
                />
              </div>
            </FormField>
            <Problem error={addNote.error} />
            <div className="kp-actions">
              <Button
                type="submit"
                appearance="primary-action-button"
                busy={addNote.isPending}
                disabled={decisionType === '' && noteText.trim() === ''}
              >
                Versleuteld opslaan
              </Button>
            </div>
          </form>
        )}
        {data.caseNotes.length > 0 && (
          <ul className="utrecht-unordered-list">
            {data.caseNotes.map((n) => {
              const note = notes.get(n.id);
              return (
                <li className="utrecht-unordered-list__item" key={n.id}>
                  {formatDateTime(n.createdAt)}:{' '}
                  {note === undefined
                    ? 'versleuteld'
                    : note === null
                      ? 'kan niet worden geopend met deze sleutel'
                      : [
                          note.decision
                            ? `${label(OFFICER_DECISION_LABELS, note.decision.type)} op ${formatDate(note.decision.date)}`
                            : null,
                          note.notes ?? null,
                        ]
                          .filter(Boolean)
                          .join(' — ')}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="geschiedenis">
        <h2 className="utrecht-heading-2" id="geschiedenis">
          Geschiedenis
        </h2>
        <p className="utrecht-paragraph">
          Wat DUO en deze werkruimte over de melding meldden. De melding staat op het verste punt dat een van
          beide bereikte: {statusText.toLowerCase()}.
        </p>
        {data.history.length === 0 ? (
          <p className="utrecht-paragraph">Nog geen statuswijzigingen.</p>
        ) : (
          <div className="utrecht-table-container utrecht-table-container--overflow-inline">
            <table className="utrecht-table utrecht-table--html-table">
              <caption className="utrecht-table__caption">Statusgeschiedenis</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  {['Wanneer', 'Bron', 'Status', 'Reden en toelichting', 'Contactpersoon'].map((h) => (
                    <th className="utrecht-table__header-cell" scope="col" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {data.history.map((h, i) => (
                  <tr className="utrecht-table__row" key={`${h.at}-${i}`}>
                    <td className="utrecht-table__cell">{formatDateTime(h.at)}</td>
                    <td className="utrecht-table__cell">{label(STATUS_SOURCE_LABELS, h.source)}</td>
                    <td className="utrecht-table__cell">{label(REPORT_STATUS_LABELS, h.status)}</td>
                    <td className="utrecht-table__cell">
                      {[
                        h.closingReason ? label(CLOSING_REASON_LABELS, h.closingReason) : null,
                        h.closingExplanation ? label(CLOSING_EXPLANATION_LABELS, h.closingExplanation) : null,
                      ]
                        .filter(Boolean)
                        .join('; ') || '—'}
                    </td>
                    <td className="utrecht-table__cell">{h.contact ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
