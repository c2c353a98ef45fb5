import { Button } from '@utrecht/button-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { Textbox } from '@utrecht/textbox-react';
import { useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type DueState, type WorklistRow, useDailyChecks, useWorklist } from '../api/case-queries.js';
import { SelectField } from '../components/fields.js';
import { Pager } from '../components/pager.js';
import { PageHeading } from '../components/page-heading.js';
import { Loading, Problem } from '../components/problem.js';
import { formatDate } from '../labels/format.js';
import { REPORT_KIND_LABELS, REPORT_STATUS_LABELS, RULE_LABELS, label } from '../labels/labels.js';
import { schoolsOf, useSignedIn } from './signed-in.js';

/** "te laat (2 dagen)", "vandaag", "nog 3 dagen": the statutory deadline as the API measured it today. */
export function dueText(due: DueState | null): string {
  if (due === null) return 'geen termijn';
  if (due.state === 'today') return 'vandaag';
  const unit = due.days === 1 ? 'dag' : 'dagen';
  return due.state === 'overdue' ? `te laat (${due.days} ${unit})` : `nog ${due.days} ${unit}`;
}

const FILTER_KEYS = ['school', 'rule', 'kind', 'status', 'group', 'mentor', 'q'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
const STATUTORY_RULES = ['LPW_16H_4W', 'LPW_LRV', 'LPW_LUXE', 'WEB_DOORSTROOMPUNT'];
const STATUSES = ['DRAFT', 'REJECTED', 'APPROVED', 'SENT', 'REGISTERED', 'IN_BEHANDELING'];
/** Rows per page; `?aantal=` in the address bar chooses another (1..100). */
const PAGE_SIZE = 20;

const any = (text: string) => ({ value: '', text });

function TextField(props: {
  label: string;
  name: string;
  value: string;
  onChange: (v: string) => void;
  id?: string;
}) {
  const generated = useId();
  const id = props.id ?? generated;
  return (
    <FormField type="text">
      <div className="utrecht-form-field__label">
        <FormLabel htmlFor={id}>{props.label}</FormLabel>
      </div>
      <div className="utrecht-form-field__input">
        <Textbox
          id={id}
          name={props.name}
          value={props.value}
          maxLength={100}
          onChange={(e) => props.onChange(e.target.value)}
        />
      </div>
    </FormField>
  );
}

/** The filters as a form: applied together on "Filteren", kept in the address bar. */
function Filters(props: {
  schools: readonly string[];
  applied: Record<FilterKey, string>;
  onApply: (f: Record<FilterKey, string>) => void;
}) {
  const [draft, setDraft] = useState(props.applied);
  const set = (key: FilterKey) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  return (
    <form
      className="kp-filters"
      role="search"
      aria-label="Werkvoorraad filteren"
      onSubmit={(event) => {
        event.preventDefault();
        props.onApply(draft);
      }}
    >
      {props.schools.length > 1 && (
        <SelectField
          label="School"
          name="school"
          value={draft.school}
          onChange={set('school')}
          options={[any('Alle scholen'), ...props.schools.map((s) => ({ value: s, text: `School ${s}` }))]}
        />
      )}
      <SelectField
        label="Regel"
        name="rule"
        value={draft.rule}
        onChange={set('rule')}
        options={[
          any('Alle regels'),
          ...STATUTORY_RULES.map((r) => ({ value: r, text: label(RULE_LABELS, r) })),
        ]}
      />
      <SelectField
        label="Soort melding"
        name="kind"
        value={draft.kind}
        onChange={set('kind')}
        options={[
          any('Alle soorten'),
          ...Object.keys(REPORT_KIND_LABELS).map((k) => ({ value: k, text: label(REPORT_KIND_LABELS, k) })),
        ]}
      />
      <SelectField
        label="Status"
        name="status"
        value={draft.status}
        onChange={set('status')}
        options={STATUSES.map((s) => ({
          value: s === 'DRAFT' ? '' : s,
          text: label(REPORT_STATUS_LABELS, s),
        }))}
      />
      <TextField label="Klas of groep" name="group" value={draft.group} onChange={set('group')} />
      <TextField label="Mentor" name="mentor" value={draft.mentor} onChange={set('mentor')} />
      <TextField
        id="zoek-leerling"
        label="Zoek leerling (naam of nummer)"
        name="q"
        value={draft.q}
        onChange={set('q')}
      />
      <div className="kp-actions">
        <Button type="submit" appearance="primary-action-button">
          Filteren
        </Button>
      </div>
    </form>
  );
}

function CaseRow({ row }: { row: WorklistRow }) {
  const kinds = [...new Set(row.pending.map((r) => r.kind))];
  return (
    <tr className="utrecht-table__row">
      <td className="utrecht-table__cell">
        <Link className="utrecht-link" to={`/dossiers/${row.id}`}>
          {row.pupil.displayName ?? `Leerling ${row.pupil.localId}`}
        </Link>
        <br />
        <span className="kp-muted">
          {row.pupil.displayName ? `Leerlingnummer ${row.pupil.localId}, ` : ''}
          {row.pupil.group ? `klas ${row.pupil.group}, ` : ''}
          school {row.school}
        </span>
      </td>
      <td className="utrecht-table__cell">
        {kinds.map((k) => (
          <span key={k}>
            {label(REPORT_KIND_LABELS, k)}
            <br />
          </span>
        ))}
      </td>
      <td className="utrecht-table__cell">
        {row.pending.length} {row.pending.length === 1 ? 'melding' : 'meldingen'}
      </td>
      <td className="utrecht-table__cell">
        {formatDate(row.beginDate)} – {formatDate(row.endDate ?? row.lastDate)}
      </td>
      <td className="utrecht-table__cell">
        {row.deadline ? formatDate(row.deadline) : '—'}
        <br />
        <span className={row.dueState?.state === 'overdue' ? 'kp-late' : 'kp-muted'}>
          {dueText(row.dueState)}
        </span>
      </td>
    </tr>
  );
}

function DailyCheckList() {
  const [page, setPage] = useState(1);
  const checks = useDailyChecks(page);
  return (
    <section aria-labelledby="dagelijkse-controle">
      <h2 className="utrecht-heading-2" id="dagelijkse-controle">
        Dagelijkse controle
      </h2>
      <p className="utrecht-paragraph">
        Lessen zonder absentiecontrole en leerlingen om terug te bellen, per les samengevat.
      </p>
      <Problem error={checks.error} />
      {checks.isPending ? (
        <Loading what="Dagelijkse controle" />
      ) : checks.data && checks.data.items.length === 0 ? (
        <p className="utrecht-paragraph" role="status">
          Niets te controleren.
        </p>
      ) : (
        checks.data && (
          <>
            <ul className="utrecht-unordered-list kp-compact">
              {checks.data.items.map((c) => (
                <li
                  className="utrecht-unordered-list__item"
                  key={`${c.school}-${c.date}-${c.lessonHour}-${c.rule}`}
                >
                  {formatDate(c.date)}, {c.lessonHour === null ? 'hele dag' : `${c.lessonHour}e lesuur`},
                  school {c.school}: {label(RULE_LABELS, c.rule).toLowerCase()} — {c.pupils}{' '}
                  {c.pupils === 1 ? 'leerling' : 'leerlingen'}
                  {c.group ? `, groep ${c.group}` : ''}
                  {c.teacher ? `, docent ${c.teacher}` : ''}
                </li>
              ))}
            </ul>
            <Pager
              page={checks.data.page}
              pageSize={checks.data.pageSize}
              total={checks.data.total}
              what="de dagelijkse controle"
              onPage={setPage}
            />
          </>
        )
      )}
    </section>
  );
}

/** The school staff's start page: every case that needs a person, by statutory deadline, and the daily checks. */
export function WorklistPage() {
  const session = useSignedIn();
  const schools = schoolsOf(session);
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Record<
    FilterKey,
    string
  >;
  const page = Math.max(1, Number(params.get('pagina') ?? '1') || 1);
  const query = new URLSearchParams();
  for (const k of FILTER_KEYS) if (applied[k].trim() !== '') query.set(k, applied[k].trim());
  query.set('page', String(page));
  const perPage = Math.min(100, Math.max(1, Number(params.get('aantal') ?? PAGE_SIZE) || PAGE_SIZE));
  query.set('pageSize', String(perPage));
  const worklist = useWorklist(query.toString());
  const apply = (filters: Record<FilterKey, string>, nextPage = 1) => {
    const next = new URLSearchParams();
    for (const k of FILTER_KEYS) if (filters[k].trim() !== '') next.set(k, filters[k].trim());
    if (nextPage > 1) next.set('pagina', String(nextPage));
    if (params.get('aantal')) next.set('aantal', String(perPage));
    setParams(next, { replace: false });
  };
  const data = worklist.data;
  return (
    <>
      <PageHeading title="Werkvoorraad">Werkvoorraad</PageHeading>
      <p className="utrecht-paragraph">
        Alles wat op u wacht, per verzuimdossier: de meldingen van één leerling over één periode van verzuim.
        Bovenaan wat het eerst moet.
      </p>
      <Filters key={params.toString()} schools={schools} applied={applied} onApply={(f) => apply(f)} />
      <Problem error={worklist.error} />
      {worklist.isPending ? (
        <Loading what="Werkvoorraad" />
      ) : data && data.items.length === 0 ? (
        <p className="utrecht-paragraph" role="status">
          Geen dossiers in deze selectie.
        </p>
      ) : (
        data && (
          <>
            <div className="utrecht-table-container utrecht-table-container--overflow-inline">
              <table className="utrecht-table utrecht-table--html-table">
                <caption className="utrecht-table__caption">
                  {data.total} {data.total === 1 ? 'dossier' : 'dossiers'}, op volgorde van termijn
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
                      Te doen
                    </th>
                    <th className="utrecht-table__header-cell" scope="col">
                      Verzuimperiode
                    </th>
                    <th className="utrecht-table__header-cell" scope="col">
                      Uiterlijk melden
                    </th>
                  </tr>
                </thead>
                <tbody className="utrecht-table__body">
                  {data.items.map((row) => (
                    <CaseRow key={row.id} row={row} />
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              page={data.page}
              pageSize={data.pageSize}
              total={data.total}
              what="de werkvoorraad"
              onPage={(p) => apply(applied, p)}
            />
          </>
        )
      )}
      <DailyCheckList />
    </>
  );
}
