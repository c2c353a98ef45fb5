import { Button } from '@utrecht/button-react';
import { Link, useParams } from 'react-router';
import { type AccessReport, accessReportPath, useAccessReport } from '../../api/privacy-audit.js';
import { PageHeading } from '../../components/page-heading.js';
import { Loading, Problem } from '../../components/problem.js';
import { formatClockMinutes, formatDate, formatDateTime, formatTime } from '../../labels/format.js';
import {
  CATEGORY_LABELS,
  LEGAL_CLASS_LABELS,
  PURPOSE_LABELS,
  QUARANTINE_REASON_LABELS,
  RECIPIENT_KIND_LABELS,
  REPORT_KIND_LABELS,
  SECTOR_LABELS,
  SOURCE_SYSTEM_LABELS,
  label,
  withheldRuleText,
} from '../../labels/labels.js';
import { fieldName } from '../report-fields.js';
import { PupilFinder } from './pupil-finder.js';

/**
 * Inzage (AVG art. 15, issue 15 item 6): the privacy officer finds the pupil by name or number and opens the
 * access report.
 */
export function InzageSearchPage() {
  return (
    <>
      <PageHeading title="Inzageverzoek">Inzageverzoek (artikel 15 AVG)</PageHeading>
      <p className="utrecht-paragraph">
        Vraagt een ouder of leerling welke gegevens ketenpoort bewaart en aan wie die zijn verstrekt? Zoek de
        leerling op en stel het overzicht op. U kunt het afdrukken, als PDF opslaan of als JSON-bestand
        downloaden.
      </p>
      <PupilFinder
        label="Leerling zoeken"
        to={(hit) => `/privacy/inzage/${encodeURIComponent(hit.school)}/${encodeURIComponent(hit.localId)}`}
      />
    </>
  );
}

const yesNo = (value: boolean | null): string => (value === null ? 'onbekend' : value ? 'ja' : 'nee');

function Table(props: {
  caption: string;
  head: readonly string[];
  children: React.ReactNode;
  /** Column widths in per cent, so no column is squeezed to a letter a line (screen and A4). */
  widths?: readonly number[];
}) {
  return (
    <div className="utrecht-table-container utrecht-table-container--overflow-inline kp-print-table">
      <table className="utrecht-table utrecht-table--html-table kp-fixed-table">
        {props.widths && (
          <colgroup>
            {props.widths.map((w, i) => (
              <col key={i} style={{ width: `${w}%` }} />
            ))}
          </colgroup>
        )}
        <caption className="utrecht-table__caption">{props.caption}</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            {props.head.map((h) => (
              <th className="utrecht-table__header-cell" scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="utrecht-table__body">{props.children}</tbody>
      </table>
    </div>
  );
}

const Cell = ({ children }: { children: React.ReactNode }) => (
  <td className="utrecht-table__cell">{children}</td>
);

function Disclosures({ report }: { report: AccessReport }) {
  const list = report.disclosures;
  return (
    <section className="kp-print-section" aria-labelledby="verstrekkingen-kop">
      <h2 className="utrecht-heading-2" id="verstrekkingen-kop">
        Verstrekkingen aan anderen ({list.length})
      </h2>
      {list.length === 0 ? (
        <p className="utrecht-paragraph">Er zijn geen gegevens van deze leerling aan anderen verstrekt.</p>
      ) : (
        <Table
          caption="Aan wie gegevens zijn verstrekt, waarom en welke"
          head={['Wanneer', 'Aan', 'Waarom', 'Verstrekte gegevens', 'Niet verstrekt', 'Grondslag en bewaren']}
          widths={[12, 12, 16, 24, 14, 22]}
        >
          {list.map((d) => (
            <tr className="utrecht-table__row" key={d.seq}>
              <Cell>{formatDateTime(d.at)}</Cell>
              <Cell>
                {label(RECIPIENT_KIND_LABELS, d.recipient.kind)}
                {d.recipient.id && d.recipient.kind === 'LEERPLICHT'
                  ? ` (gemeentecode ${d.recipient.id})`
                  : ''}
              </Cell>
              <Cell>
                {PURPOSE_LABELS[d.purpose] ?? 'doel uit het beleid van het bestuur'}
                {d.reportKind ? ` — ${label(REPORT_KIND_LABELS, d.reportKind)}` : ''}
              </Cell>
              <Cell>{d.released.length === 0 ? 'geen' : d.released.map(fieldName).join(', ')}</Cell>
              <Cell>
                {d.withheld.length === 0
                  ? 'niets'
                  : d.withheld.map((w) => `${fieldName(w.field)} (${withheldRuleText(w.rule)})`).join('; ')}
              </Cell>
              <Cell>
                {d.legalBasis ?? 'grondslag niet vastgelegd'}; bewaard tot{' '}
                {d.retainedUntil ? formatDate(d.retainedUntil) : 'onbekend'}. Besloten volgens beleid{' '}
                {d.policy.id}, versie {d.policy.version}.
              </Cell>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

function Records({ report }: { report: AccessReport }) {
  // Oldest first, by day and then by time of day.
  const list = [...report.records].sort(
    (a, b) => a.date.localeCompare(b.date) || (a.start ?? '').localeCompare(b.start ?? ''),
  );
  return (
    <section className="kp-print-section" aria-labelledby="registraties-kop">
      <h2 className="utrecht-heading-2" id="registraties-kop">
        Absentieregistraties ({list.length})
      </h2>
      {list.length === 0 ? (
        <p className="utrecht-paragraph">Er zijn geen absentieregistraties opgeslagen.</p>
      ) : (
        <Table
          caption="Absentieregistraties van de school"
          head={['Datum', 'Tijd', 'Reden', 'Volgens de wet', 'Gemist', 'Bron']}
        >
          {list.map((r) => (
            <tr className="utrecht-table__row" key={r.recordId}>
              <Cell>{formatDate(r.date)}</Cell>
              <Cell>
                {r.wholeDay
                  ? 'hele dag'
                  : r.start
                    ? `${formatTime(r.start)}${r.end ? `–${formatTime(r.end)}` : ''}`
                    : '—'}
              </Cell>
              <Cell>{label(CATEGORY_LABELS, r.category)}</Cell>
              <Cell>{label(LEGAL_CLASS_LABELS, r.legalClass)}</Cell>
              <Cell>{r.missedMinutes === null ? '—' : formatClockMinutes(r.missedMinutes)}</Cell>
              <Cell>{label(SOURCE_SYSTEM_LABELS, r.sourceSystem)}</Cell>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

function Quarantined({ report }: { report: AccessReport }) {
  const list = report.quarantined;
  return (
    <section className="kp-print-section" aria-labelledby="quarantaine-kop">
      <h2 className="utrecht-heading-2" id="quarantaine-kop">
        Gegevens in quarantaine ({list.length})
      </h2>
      <p className="utrecht-paragraph">
        Gegevens die de school aanleverde maar die ketenpoort (nog) niet kon verwerken.
      </p>
      {list.length === 0 ? (
        <p className="utrecht-paragraph">Er staan geen gegevens in quarantaine.</p>
      ) : (
        <Table caption="Gegevens in quarantaine" head={['Ontvangen', 'Bron', 'Waarom niet verwerkt']}>
          {list.map((q) => (
            <tr className="utrecht-table__row" key={q.id}>
              <Cell>{formatDateTime(q.receivedAt)}</Cell>
              <Cell>{label(SOURCE_SYSTEM_LABELS, q.sourceSystem)}</Cell>
              <Cell>{label(QUARANTINE_REASON_LABELS, q.reason)}</Cell>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

function Report({ report, school, localId }: { report: AccessReport; school: string; localId: string }) {
  const p = report.pupil;
  const facts: [string, string][] = [
    ['Leerlingnummer', p.localId],
    ['School (BRIN)', p.school],
    ['Geboortedatum', formatDate(p.birthDate)],
    ['Onderwijssoort', label(SECTOR_LABELS, p.sector)],
    ['Startkwalificatie', yesNo(p.startkwalificatie)],
    ['Woongemeente', p.woongemeente ? `gemeentecode ${p.woongemeente}` : 'onbekend'],
    ['Ingeschreven vanaf', formatDate(p.enrolledFrom)],
    ['Uitgeschreven op', p.leftOn ? formatDate(p.leftOn) : 'nog ingeschreven'],
    ['Burgerservicenummer (BSN)', p.bsn],
  ];
  return (
    <>
      <p className="utrecht-paragraph">
        Opgesteld op {formatDateTime(report.generatedAt)} door schoolbestuur {report.board}.
      </p>
      <div className="kp-actions kp-actions--center kp-no-print">
        <Button appearance="primary-action-button" onClick={() => window.print()}>
          Afdrukken / opslaan als PDF
        </Button>
        <a
          className="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action kp-button-link"
          href={accessReportPath(school, localId)}
          download={`inzage-${school}-${localId}.json`}
        >
          Download als JSON
        </a>
        <Link
          className="utrecht-link"
          to={`/privacy/auditlog?pupil=${encodeURIComponent(localId)}&school=${encodeURIComponent(school)}`}
        >
          Deze leerling in het auditlog
        </Link>
      </div>
      <section className="kp-print-section" aria-labelledby="leerling-kop">
        <h2 className="utrecht-heading-2" id="leerling-kop">
          Leerling
        </h2>
        <dl className="kp-summary">
          {facts.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="kp-print-section" aria-labelledby="bewaarplicht-kop">
        <h2 className="utrecht-heading-2" id="bewaarplicht-kop">
          Bewaarplicht (juridische blokkade)
        </h2>
        <p className="utrecht-paragraph">
          {report.legalHold
            ? `Ja: de gegevens worden niet verwijderd zolang deze bewaarplicht geldt. Reden: ${report.legalHold.reason} (vastgelegd op ${formatDateTime(report.legalHold.at)}).`
            : 'Nee: de gewone bewaartermijnen gelden.'}
        </p>
      </section>
      <Disclosures report={report} />
      <Records report={report} />
      <Quarantined report={report} />
    </>
  );
}

/**
 * The access report of one pupil in Dutch (issue 15 item 6): no codes or field paths, printable on A4 portrait
 * (the print stylesheet drops the navigation and fits the tables to the page), downloadable as the API's JSON.
 */
export function InzagePage() {
  const { school = '', localId = '' } = useParams();
  const report = useAccessReport(school, localId);
  return (
    <div className="kp-inzage">
      <p className="utrecht-paragraph kp-no-print">
        <Link className="utrecht-link" to="/privacy/inzage">
          Andere leerling zoeken
        </Link>
      </p>
      <PageHeading title={`Inzage leerling ${localId}`}>
        Overzicht van gegevens van leerling {localId} (inzageverzoek, artikel 15 AVG)
      </PageHeading>
      {report.isPending && <Loading what="Het overzicht" />}
      {report.isError && <Problem error={report.error} />}
      {report.data && <Report report={report.data} school={school} localId={localId} />}
    </div>
  );
}
