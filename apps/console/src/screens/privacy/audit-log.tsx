import { Button } from '@utrecht/button-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { Textbox } from '@utrecht/textbox-react';
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  AUDIT_FILTER_KEYS,
  type AuditFilters,
  type AuditLogItem,
  useAuditLog,
  useAuditVerification,
} from '../../api/privacy-audit.js';
import { SelectField } from '../../components/fields.js';
import { PageHeading } from '../../components/page-heading.js';
import { Loading, Notice, Problem } from '../../components/problem.js';
import { formatDate, formatDateTime } from '../../labels/format.js';
import {
  AUDIT_BREAK_REASON_LABELS,
  AUDIT_KIND_LABELS,
  DECISION_EFFECT_LABELS,
  DELIVERY_STATUS_LABELS,
  PURPOSE_LABELS,
  RECIPIENT_KIND_LABELS,
  REPORT_KIND_LABELS,
  REPORT_STATUS_LABELS,
  label,
  withheldRuleText,
} from '../../labels/labels.js';
import { fieldName } from '../report-fields.js';
import { useSignedIn } from '../signed-in.js';
import { PupilFinder } from './pupil-finder.js';

const any = (text: string) => ({ value: '', text });
const options = (catalogue: Readonly<Record<string, string>>) =>
  Object.entries(catalogue).map(([value, text]) => ({ value, text }));

/** "Leerling 41003 (school 99XX)"; an entry about a pupil the board no longer holds says so. */
export function pupilText(item: Pick<AuditLogItem, 'pupil' | 'aboutPupil'>): string {
  if (item.pupil) return `Leerling ${item.pupil.localId} (school ${item.pupil.school})`;
  return item.aboutPupil ? 'Leerling niet (meer) in de administratie' : '—';
}

function recipientText(item: AuditLogItem): string {
  if (!item.recipient) return '—';
  const name = label(RECIPIENT_KIND_LABELS, item.recipient.kind);
  return item.recipient.id && item.recipient.kind === 'LEERPLICHT'
    ? `${name} (gemeentecode ${item.recipient.id})`
    : name;
}

/** The decision's outcome, or the status a report reached. */
function outcomeText(item: AuditLogItem): string {
  if (item.decision) return label(DECISION_EFFECT_LABELS, item.decision);
  if (item.status) return statusText(item.status);
  return '—';
}

/** A report's status, or a delivery's (a report status entry names either). */
function statusText(status: string): string {
  return REPORT_STATUS_LABELS[status] ?? label(DELIVERY_STATUS_LABELS, status);
}

function purposeText(item: AuditLogItem): string {
  if (!item.purpose) return '—';
  const purpose = PURPOSE_LABELS[item.purpose] ?? 'Doel uit het beleid van uw bestuur';
  return item.reportKind ? `${purpose} — ${label(REPORT_KIND_LABELS, item.reportKind)}` : purpose;
}

function DateField(props: { label: string; name: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <FormField type="text">
      <div className="utrecht-form-field__label">
        <FormLabel htmlFor={id}>{props.label}</FormLabel>
      </div>
      <div className="utrecht-form-field__input">
        <Textbox
          id={id}
          type="date"
          name={props.name}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
        />
      </div>
    </FormField>
  );
}

function Filters(props: { applied: AuditFilters; onApply: (f: AuditFilters) => void; onClear: () => void }) {
  const [draft, setDraft] = useState(props.applied);
  useEffect(() => setDraft(props.applied), [props.applied]);
  const set = (key: keyof AuditFilters) => (value: string) =>
    // Another number is another pupil: the school picked with the former one no longer says which.
    setDraft((d) => ({ ...d, [key]: value, ...(key === 'pupil' ? { school: '' } : {}) }));
  const pupilId = useId();
  return (
    <form
      className="kp-filters kp-no-print"
      role="search"
      aria-label="Auditlog filteren"
      onSubmit={(event) => {
        event.preventDefault();
        props.onApply(draft);
      }}
    >
      <FormField type="text">
        <div className="utrecht-form-field__label">
          <FormLabel htmlFor={pupilId}>Leerlingnummer</FormLabel>
        </div>
        <div className="utrecht-form-field__input">
          <Textbox
            id={pupilId}
            name="pupil"
            value={draft.pupil}
            maxLength={100}
            autoComplete="off"
            onChange={(e) => set('pupil')(e.target.value)}
          />
        </div>
      </FormField>
      <SelectField
        label="Ontvanger"
        name="recipient"
        value={draft.recipient}
        onChange={set('recipient')}
        options={[any('Alle ontvangers'), ...options(RECIPIENT_KIND_LABELS)]}
      />
      <SelectField
        label="Doel"
        name="purpose"
        value={draft.purpose}
        onChange={set('purpose')}
        options={[
          any('Alle doelen'),
          ...Object.entries(PURPOSE_LABELS).map(([value, text]) => ({
            value,
            text: text.charAt(0).toLocaleUpperCase('nl-NL') + text.slice(1),
          })),
        ]}
      />
      <SelectField
        label="Soort melding"
        name="reportKind"
        value={draft.reportKind}
        onChange={set('reportKind')}
        options={[any('Alle soorten'), ...options(REPORT_KIND_LABELS)]}
      />
      <SelectField
        label="Besluit"
        name="decision"
        value={draft.decision}
        onChange={set('decision')}
        options={[any('Alle besluiten'), ...options(DECISION_EFFECT_LABELS)]}
      />
      <SelectField
        label="Soort regel"
        name="kind"
        value={draft.kind}
        onChange={set('kind')}
        options={[any('Alle regels'), ...options(AUDIT_KIND_LABELS)]}
      />
      <DateField label="Vanaf (datum)" name="from" value={draft.from} onChange={set('from')} />
      <DateField label="Tot en met (datum)" name="to" value={draft.to} onChange={set('to')} />
      <div className="kp-actions">
        <Button type="submit" appearance="primary-action-button">
          Filteren
        </Button>
        <Button type="button" appearance="secondary-action-button" onClick={props.onClear}>
          Filters wissen
        </Button>
      </div>
    </form>
  );
}

/** The chain's verification for the board: intact, or the first entry where it breaks. */
function Verification() {
  const verification = useAuditVerification();
  if (verification.isPending) return <Loading what="De controle van het auditlog" />;
  if (verification.isError) return <Problem error={verification.error} />;
  const v = verification.data;
  if (v.valid) {
    return (
      <Notice kind="ok">
        <p className="utrecht-paragraph">
          <strong>Het auditlog is onveranderd.</strong> Alle {v.entries.toLocaleString('nl-NL')} regels van uw
          bestuur sluiten op elkaar aan; niets is achteraf gewijzigd of verwijderd.
        </p>
      </Notice>
    );
  }
  return (
    <div className="utrecht-alert utrecht-alert--error" role="alert">
      <div className="utrecht-alert__content">
        <p className="utrecht-paragraph">
          <strong>Het auditlog is na het vastleggen gewijzigd.</strong> De eerste fout zit in regel{' '}
          {v.brokenAt.seq}: {label(AUDIT_BREAK_REASON_LABELS, v.brokenAt.reason)}. Regels vanaf daar zijn niet
          meer te vertrouwen. Meld dit direct bij de beheerder van ketenpoort en bij uw bestuur.
        </p>
      </div>
    </div>
  );
}

function Detail({ item, canInzage }: { item: AuditLogItem; canInzage: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), [item.seq]);
  const rows: [string, React.ReactNode][] = [
    ['Wanneer', formatDateTime(item.at)],
    ['Soort', label(AUDIT_KIND_LABELS, item.kind)],
    ['Leerling', pupilText(item)],
  ];
  if (item.recipient) rows.push(['Ontvanger', recipientText(item)]);
  if (item.purpose) rows.push(['Doel', purposeText(item)]);
  if (item.decision) rows.push(['Besluit', label(DECISION_EFFECT_LABELS, item.decision)]);
  if (item.status) rows.push(['Status van de melding', statusText(item.status)]);
  if (item.kind === 'DECISION' || item.kind === 'DISCLOSURE') {
    rows.push([
      item.kind === 'DISCLOSURE' ? 'Verstrekte gegevens' : 'Gegevens die verstrekt mochten worden',
      item.released.length === 0 ? 'geen' : item.released.map(fieldName).join(', '),
    ]);
    rows.push([
      'Niet verstrekt',
      item.withheld.length === 0 ? (
        'niets'
      ) : (
        <ul className="utrecht-unordered-list">
          {item.withheld.map((w) => (
            <li key={w.field}>
              {fieldName(w.field)}: {withheldRuleText(w.rule)}
            </li>
          ))}
        </ul>
      ),
    ]);
  }
  if (item.determinedBy.length > 0)
    rows.push(['Besloten door', item.determinedBy.map(withheldRuleText).join('; ')]);
  if (item.policy) rows.push(['Beleid', `${item.policy.id}, versie ${item.policy.version}`]);
  if (item.legalBasis) rows.push(['Grondslag', item.legalBasis]);
  if (item.retainedUntil) rows.push(['Bewaard bij de ontvanger tot', formatDate(item.retainedUntil)]);
  if (item.reference) rows.push(['Kenmerk', item.reference]);
  if (item.by) rows.push(['Door', item.by]);
  if (item.chainSeq !== null) rows.push(['Regelnummer in het auditlog', String(item.chainSeq)]);
  return (
    <section className="kp-card" aria-labelledby="regel-kop">
      <h2 className="utrecht-heading-2" id="regel-kop" tabIndex={-1} ref={ref}>
        {label(AUDIT_KIND_LABELS, item.kind)} van {formatDateTime(item.at)}
      </h2>
      <p className="utrecht-paragraph">{item.explanation}</p>
      <dl className="kp-summary">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {canInzage && item.pupil && (
        <p className="utrecht-paragraph">
          <Link
            className="utrecht-link"
            to={`/privacy/inzage/${encodeURIComponent(item.pupil.school)}/${encodeURIComponent(item.pupil.localId)}`}
          >
            Inzage voor leerling {item.pupil.localId} opstellen
          </Link>
        </p>
      )}
    </section>
  );
}

function Entries(props: {
  filters: AuditFilters;
  page: number;
  selected: number | null;
  onSelect: (seq: number) => void;
  onPage: (page: number) => void;
  canInzage: boolean;
}) {
  const log = useAuditLog(props.filters, props.page);
  if (log.isPending) return <Loading what="Het auditlog" />;
  if (log.isError) return <Problem error={log.error} />;
  const { items, hasMore } = log.data;
  const selected = items.find((i) => i.seq === props.selected) ?? null;
  return (
    <>
      {selected && <Detail item={selected} canInzage={props.canInzage} />}
      {items.length === 0 ? (
        <p className="utrecht-paragraph" role="status">
          Geen regels gevonden{props.page > 1 ? ' op deze pagina' : ' met deze filters'}.
        </p>
      ) : (
        <div className="utrecht-table-container utrecht-table-container--overflow-inline">
          <table className="utrecht-table utrecht-table--html-table kp-audit-table">
            <caption className="utrecht-table__caption">
              Regels in het auditlog, nieuwste eerst (pagina {props.page})
            </caption>
            <thead className="utrecht-table__header">
              <tr className="utrecht-table__row">
                {[
                  'Wanneer',
                  'Soort',
                  'Leerling',
                  'Ontvanger',
                  'Doel',
                  'Besluit of status',
                  'Beleid',
                  'Uitleg',
                ].map((h) => (
                  <th className="utrecht-table__header-cell" scope="col" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="utrecht-table__body">
              {items.map((item) => (
                <tr className="utrecht-table__row" key={item.seq}>
                  <td className="utrecht-table__cell">{formatDateTime(item.at)}</td>
                  <td className="utrecht-table__cell kp-audit-kind">{label(AUDIT_KIND_LABELS, item.kind)}</td>
                  <td className="utrecht-table__cell">{pupilText(item)}</td>
                  <td className="utrecht-table__cell">{recipientText(item)}</td>
                  <td className="utrecht-table__cell">
                    {item.purpose
                      ? (PURPOSE_LABELS[item.purpose] ?? 'Doel uit het beleid van uw bestuur')
                      : '—'}
                  </td>
                  <td className="utrecht-table__cell">{outcomeText(item)}</td>
                  <td className="utrecht-table__cell">
                    {item.policy ? `${item.policy.id}, versie ${item.policy.version}` : '—'}
                  </td>
                  <td className="utrecht-table__cell">
                    <button
                      type="button"
                      className="kp-link-button"
                      aria-label={`${label(AUDIT_KIND_LABELS, item.kind)} van ${formatDateTime(item.at)} bekijken`}
                      aria-pressed={item.seq === props.selected}
                      onClick={() => props.onSelect(item.seq)}
                    >
                      Bekijken
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="kp-actions kp-no-print" aria-label="Pagina's van het auditlog">
        {props.page > 1 && (
          <Button appearance="secondary-action-button" onClick={() => props.onPage(props.page - 1)}>
            Nieuwere regels
          </Button>
        )}
        {hasMore && (
          <Button appearance="secondary-action-button" onClick={() => props.onPage(props.page + 1)}>
            Oudere regels
          </Button>
        )}
      </nav>
    </>
  );
}

function filtersOf(params: URLSearchParams): AuditFilters {
  return Object.fromEntries(
    AUDIT_FILTER_KEYS.map((k) => [k, params.get(k) ?? '']),
  ) as unknown as AuditFilters;
}

/**
 * The audit log (issue 15 item 4): the privacy officer (and the auditor, read-only) answers "what did we share
 * about this child, with whom and why". The chain's verification on top, a pupil found by name or number, the
 * filters in the address bar, the entries newest first, one entry's detail with its Dutch explanation.
 */
export function AuditLogPage() {
  const session = useSignedIn();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const page = Math.max(1, Number(params.get('pagina') ?? '1') || 1);
  const selectedText = params.get('regel');
  const selected = selectedText === null ? null : Number(selectedText);
  const officer = session.actor.role === 'privacy_officer';
  const update = (next: Partial<AuditFilters>, extra: Record<string, string> = {}) => {
    const merged = { ...filters, ...next };
    const search = new URLSearchParams();
    for (const key of AUDIT_FILTER_KEYS) if (merged[key]) search.set(key, merged[key]);
    for (const [k, v] of Object.entries(extra)) search.set(k, v);
    setParams(search);
  };
  // The stable object the form resets to when the address changes (back button, a finder link).
  const applied = useStableFilters(filters);
  return (
    <>
      <PageHeading title="Auditlog">Auditlog</PageHeading>
      <p className="utrecht-paragraph">
        Hier ziet u wat ketenpoort over leerlingen van uw bestuur heeft besloten en verstrekt: aan wie, waarom
        en volgens welke versie van het privacybeleid. Het auditlog kan niet worden gewijzigd; de controle
        hieronder laat zien of het nog compleet en onveranderd is.
      </p>
      <Verification />
      {officer && (
        <PupilFinder
          label="Leerling zoeken"
          to={(hit) =>
            `/privacy/auditlog?pupil=${encodeURIComponent(hit.localId)}&school=${encodeURIComponent(hit.school)}`
          }
        />
      )}
      <h2 className="utrecht-heading-2">Regels</h2>
      {filters.pupil && (
        <p className="utrecht-paragraph">
          Alleen regels over leerling {filters.pupil}
          {filters.school ? ` van school ${filters.school}` : ''}.
        </p>
      )}
      <Filters
        applied={applied}
        onApply={(f) => update(f)}
        onClear={() => setParams(new URLSearchParams())}
      />
      <Entries
        filters={filters}
        page={page}
        selected={selected}
        canInzage={officer}
        onSelect={(seq) => update({}, { ...(page > 1 ? { pagina: String(page) } : {}), regel: String(seq) })}
        onPage={(p) => update({}, p > 1 ? { pagina: String(p) } : {})}
      />
    </>
  );
}

function useStableFilters(filters: AuditFilters): AuditFilters {
  const key = JSON.stringify(filters);
  const ref = useRef<{ key: string; value: AuditFilters }>({ key, value: filters });
  if (ref.current.key !== key) ref.current = { key, value: filters };
  return ref.current.value;
}
