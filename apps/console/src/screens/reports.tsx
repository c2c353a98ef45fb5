import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useReports, useSignals } from '../api/queries.js';
import type { Report, StoredSignal } from '../api/types.js';
import { SchoolSelect, SelectField } from '../components/fields.js';
import { PageHeading } from '../components/page-heading.js';
import { Loading, Problem } from '../components/problem.js';
import { deadlineText, formatDate, formatHours, todayInAmsterdam } from '../labels/format.js';
import { REPORT_KIND_LABELS, REPORT_STATUS_LABELS, RULE_LABELS, label } from '../labels/labels.js';
import { schoolsOf, useSignedIn } from './signed-in.js';

const FILTERS = [
  { value: 'DRAFT', text: 'Te beoordelen (concepten)' },
  { value: 'OUT', text: 'Onderweg in de keten' },
  { value: 'DONE', text: 'Afgehandeld' },
  { value: 'ALL', text: 'Alle meldingen' },
];
const OUT = ['APPROVED', 'QUEUED', 'SENT', 'REGISTERED', 'IN_BEHANDELING', 'REJECTED'];

function matches(filter: string, report: Report): boolean {
  if (filter === 'ALL') return true;
  if (filter === 'DRAFT') return report.status === 'DRAFT';
  if (filter === 'OUT') return OUT.includes(report.status);
  return !OUT.includes(report.status) && report.status !== 'DRAFT';
}

/** The measured hours of a report's signal: lesson hours with clock time, as the rule counted them. */
export function hoursOf(report: Report, signals: readonly StoredSignal[] | undefined): string {
  const measured = signals?.find((s) => s.signal.signalId === report.signalId)?.signal.measured;
  if (measured) return formatHours(measured.unauthorisedLessons, measured.unauthorisedMinutes);
  const hours = report.fields['absence.hours'];
  return typeof hours === 'number' ? formatHours(hours, null) : '—';
}

/** The staff home until the werkvoorraad exists: the school's reports, drafts to review first. */
export function ReportsPage() {
  const session = useSignedIn();
  const schools = schoolsOf(session);
  const [params, setParams] = useSearchParams();
  const school = params.get('school') ?? schools[0] ?? '';
  const filter = params.get('filter') ?? 'DRAFT';
  const reports = useReports(school);
  const signals = useSignals(school);
  const today = todayInAmsterdam();
  const shown = useMemo(
    () =>
      (reports.data?.items ?? [])
        .filter((r) => matches(filter, r))
        .sort((a, b) => String(a.deadline ?? '9999').localeCompare(String(b.deadline ?? '9999'))),
    [reports.data, filter],
  );
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };
  return (
    <>
      <PageHeading title="Meldingen">Meldingen</PageHeading>
      <p className="utrecht-paragraph">
        Verzuimmeldingen die ketenpoort voor u klaarzet, met de termijn waarbinnen u moet melden. Open een
        concept om te zien wat er precies naar DUO en de gemeente gaat.
      </p>
      <div className="kp-filters">
        <SchoolSelect schools={schools} value={school} onChange={(v) => set('school', v)} />
        <SelectField label="Toon" value={filter} onChange={(v) => set('filter', v)} options={FILTERS} />
      </div>
      <Problem error={reports.error} />
      {reports.isPending ? (
        <Loading what="Meldingen" />
      ) : shown.length === 0 ? (
        <p className="utrecht-paragraph" role="status">
          Geen meldingen in deze selectie.
        </p>
      ) : (
        <div className="utrecht-table-container utrecht-table-container--overflow-inline">
          <table className="utrecht-table utrecht-table--html-table">
            <caption className="utrecht-table__caption">
              {shown.length} {shown.length === 1 ? 'melding' : 'meldingen'} van school {school}
            </caption>
            <thead className="utrecht-table__header">
              <tr className="utrecht-table__row">
                <th className="utrecht-table__header-cell" scope="col">
                  Leerling
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  Soort melding
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  Periode
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  Verzuim
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  Uiterlijk melden
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  Status
                </th>
              </tr>
            </thead>
            <tbody className="utrecht-table__body">
              {shown.map((r) => (
                <tr className="utrecht-table__row" key={r.id}>
                  <td className="utrecht-table__cell">
                    <Link className="utrecht-link" to={`/meldingen/${r.school}/${r.id}`}>
                      Leerling {r.pupil.localId}
                    </Link>
                  </td>
                  <td className="utrecht-table__cell">
                    {label(REPORT_KIND_LABELS, r.kind)}
                    <br />
                    <span className="kp-muted">{label(RULE_LABELS, r.rule)}</span>
                  </td>
                  <td className="utrecht-table__cell">
                    {formatDate(r.fields['absence.beginDate'] as string)} –{' '}
                    {formatDate(r.fields['absence.endDate'] as string)}
                  </td>
                  <td className="utrecht-table__cell">{hoursOf(r, signals.data?.items)}</td>
                  <td className="utrecht-table__cell">
                    {r.deadline ? formatDate(r.deadline) : '—'}
                    {r.status === 'DRAFT' && (
                      <>
                        <br />
                        <span className={r.overdue ? 'kp-late' : 'kp-muted'}>
                          {deadlineText(r.deadline, today)}
                        </span>
                      </>
                    )}
                  </td>
                  <td className="utrecht-table__cell">{label(REPORT_STATUS_LABELS, r.status)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
