import { Button } from '@utrecht/button-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { useId, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { SelectField } from '../components/fields.js';
import { PageHeading } from '../components/page-heading.js';
import { Loading, Problem } from '../components/problem.js';
import {
  daysUntil,
  formatClockMinutes,
  formatDate,
  formatDateTime,
  todayInAmsterdam,
} from '../labels/format.js';
import { AGE_GROUP_LABELS, REPORT_KIND_LABELS, REPORT_STATUS_LABELS, label } from '../labels/labels.js';
import { useSignedIn } from '../screens/signed-in.js';
import { toCsv } from './csv.js';
import { download } from './download.js';
import { KeyPicker } from './key-picker.js';
import type { OfficerReport } from './key-store.js';
import { type InboxItem, useDecrypted, useInbox, useLoadedKey } from './officer-api.js';

/** The demo municipality a person handles (its key is offered by the local demo sign-in, embedded mode only). */
const DEMO_KEY_CODE = '0312';
const CLOSED = ['AFGESLOTEN', 'TER_KENNISGEVING_AANGENOMEN', 'WITHDRAWN'];
const WITHOUT_ACTION = ['APPROVED', 'QUEUED', 'SENT', 'REGISTERED', 'REJECTED'];

/** The codes an officer works for: municipalities for leerplicht, the region for a Doorstroompunt. */
export function officerCodes(actor: {
  role: string;
  municipalities?: readonly string[];
  region?: string;
}): string[] {
  if (actor.role === 'leerplicht_officer') return [...(actor.municipalities ?? [])];
  if (actor.role === 'doorstroompunt_officer' && actor.region) return [actor.region];
  return [];
}

/** The first day of the school year a date falls in (1 August). */
function schoolYearStart(today: string): string {
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= '08-01' ? `${year}-08-01` : `${year - 1}-08-01`;
}

function pupilKey(report: OfficerReport | undefined): string | null {
  const p = report?.pupil;
  if (!p) return null;
  return p.bsn ?? p.onderwijsnummer ?? (p.name ? `${p.name}|${p.birthDate ?? ''}` : null);
}

/** How the list names a pupil: the name, else the onderwijsnummer, else the birth date (what the report carries). */
function pupilName(report: OfficerReport | undefined): string {
  const p = report?.pupil;
  if (p?.name) return p.name;
  if (p?.onderwijsnummer) return `Onderwijsnummer ${p.onderwijsnummer}`;
  if (p?.birthDate) return `Leerling geboren ${formatDate(p.birthDate)}`;
  return 'Leerling (naam niet in de melding)';
}

/** The latest inbox entry per report (a correction or withdrawal follows the first report). */
function latestPerReport(items: readonly InboxItem[]): InboxItem[] {
  const byId = new Map<string, InboxItem>();
  const first = new Map<string, string>();
  for (const item of items) {
    byId.set(item.reportId, item);
    if (!first.has(item.reportId)) first.set(item.reportId, item.storedAt);
  }
  return [...byId.values()].map((i) => ({ ...i, storedAt: first.get(i.reportId) ?? i.storedAt }));
}

/** `/gemeente`: the municipality's inbox and case list (issue 14). */
export function InboxPage() {
  const session = useSignedIn();
  const codes = officerCodes(session.actor);
  const [params, setParams] = useSearchParams();
  const code = params.get('gemeente') ?? codes[0] ?? '';
  const filter = {
    school: params.get('school') ?? '',
    kind: params.get('soort') ?? '',
    status: params.get('status') ?? '',
    ageGroup: params.get('leeftijd') ?? '',
  };
  const days = Math.max(1, Math.min(365, Number(params.get('dagen') ?? '14') || 14));
  const onlyIdle = params.get('zonderActie') === 'ja';
  const search = params.get('zoek') ?? '';
  const inbox = useInbox(code, filter);
  const key = useLoadedKey();
  const usableKey = key !== null && key.code === code ? key : null;
  const reports = useMemo(() => latestPerReport(inbox.data?.items ?? []), [inbox.data]);
  const decrypted = useDecrypted(
    reports.map((r) => r.jwe),
    usableKey,
  );
  const today = todayInAmsterdam();
  const ageOf = (item: InboxItem) => -daysUntil(todayInAmsterdam(new Date(item.storedAt)), today);
  const reportOf = (item: InboxItem) => {
    const d = decrypted.get(item.jwe);
    return d?.ok ? d.report : undefined;
  };
  const searchId = useId();
  const daysId = useId();

  const yearStart = schoolYearStart(today);
  const repeated = useMemo(() => {
    const counts = new Map<string, { name: string; count: number }>();
    for (const item of reports) {
      if (todayInAmsterdam(new Date(item.storedAt)) < yearStart) continue;
      const r = reportOf(item);
      const k = pupilKey(r);
      if (k === null) continue;
      const entry = counts.get(k) ?? { name: pupilName(r), count: 0 };
      entry.count += 1;
      counts.set(k, entry);
    }
    return new Map([...counts].filter(([, v]) => v.count > 1));
  }, [reports, decrypted, yearStart]);

  const shown = reports.filter((item) => {
    if (onlyIdle && !(WITHOUT_ACTION.includes(item.status ?? '') && ageOf(item) > days)) return false;
    if (search.trim() !== '') {
      const r = reportOf(item);
      const hay = [pupilName(r), r?.pupil?.bsn, r?.pupil?.onderwijsnummer, r?.pupil?.birthDate]
        .filter(Boolean)
        .join(' ')
        .toLowerCase();
      if (!hay.includes(search.trim().toLowerCase())) return false;
    }
    return true;
  });
  const schools = [...new Set(reports.map((r) => r.school).filter((s): s is string => !!s))].sort();
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
  };
  const exportCsv = () => {
    const rows = shown.map((item) => {
      const r = reportOf(item);
      return [
        item.reportId,
        r ? pupilName(r) : '',
        r?.pupil?.birthDate ?? '',
        r?.pupil?.onderwijsnummer ?? '',
        item.school,
        item.locationName,
        label(REPORT_KIND_LABELS, item.kind),
        item.periodBegin,
        item.periodEnd,
        r?.absence?.hours ?? '',
        r?.absence?.clockMinutes !== undefined ? formatClockMinutes(r.absence.clockMinutes) : '',
        formatDateTime(item.storedAt),
        label(REPORT_STATUS_LABELS, item.status),
        CLOSED.includes(item.status ?? '') ? '' : ageOf(item),
      ];
    });
    download(
      `meldingen-gemeente-${code}-${today}.csv`,
      toCsv(
        [
          'Meldingnummer',
          'Leerling',
          'Geboortedatum',
          'Onderwijsnummer',
          'School',
          'Locatie',
          'Soort melding',
          'Begin',
          'Einde',
          'Lesuren',
          'Klokuren',
          'Ontvangen',
          'Status',
          'Dagen open',
        ],
        rows,
      ),
    );
  };

  return (
    <>
      <PageHeading title="Meldingen gemeente">Meldingen voor gemeente {code}</PageHeading>
      <p className="utrecht-paragraph">
        Verzuimmeldingen die scholen rechtstreeks aan uw gemeente sturen. U leest ze hier met de sleutel van
        uw gemeente; ketenpoort bewaart ze versleuteld en kan ze niet lezen.
      </p>
      {codes.length > 1 && (
        <div className="kp-filters">
          <SelectField
            label="Gemeente of regio"
            value={code}
            onChange={(v) => set('gemeente', v)}
            options={codes.map((c) => ({ value: c, text: c }))}
          />
        </div>
      )}
      <KeyPicker code={code} demoKeyCode={DEMO_KEY_CODE} />
      <h2 className="utrecht-heading-2">Overzicht</h2>
      <div className="kp-filters">
        <SelectField
          label="School"
          value={filter.school}
          onChange={(v) => set('school', v)}
          options={[{ value: '', text: 'Alle scholen' }, ...schools.map((s) => ({ value: s, text: s }))]}
        />
        <SelectField
          label="Soort melding"
          value={filter.kind}
          onChange={(v) => set('soort', v)}
          options={[
            { value: '', text: 'Alle soorten' },
            ...Object.keys(REPORT_KIND_LABELS).map((k) => ({ value: k, text: label(REPORT_KIND_LABELS, k) })),
          ]}
        />
        <SelectField
          label="Status"
          value={filter.status}
          onChange={(v) => set('status', v)}
          options={[
            { value: '', text: 'Alle statussen' },
            ...[
              'SENT',
              'REGISTERED',
              'IN_BEHANDELING',
              'AFGESLOTEN',
              'TER_KENNISGEVING_AANGENOMEN',
              'WITHDRAWN',
            ].map((s) => ({ value: s, text: label(REPORT_STATUS_LABELS, s) })),
          ]}
        />
        <SelectField
          label="Leeftijd"
          value={filter.ageGroup}
          onChange={(v) => set('leeftijd', v)}
          options={[
            { value: '', text: 'Alle leeftijden' },
            { value: 'MEERDERJARIG', text: label(AGE_GROUP_LABELS, 'MEERDERJARIG') },
            { value: 'MINDERJARIG', text: label(AGE_GROUP_LABELS, 'MINDERJARIG') },
          ]}
        />
      </div>
      <div className="kp-filters">
        <FormField type="text">
          <div className="utrecht-form-field__label">
            <FormLabel htmlFor={searchId}>Zoek op leerling (naam, BSN of onderwijsnummer)</FormLabel>
          </div>
          <div className="utrecht-form-field__input">
            <input
              id={searchId}
              type="search"
              className="utrecht-textbox utrecht-textbox--html-input"
              value={search}
              disabled={usableKey === null}
              onChange={(e) => set('zoek', e.target.value)}
            />
          </div>
        </FormField>
        <FormField type="text">
          <div className="utrecht-form-field__label">
            <FormLabel htmlFor={daysId}>Aantal dagen zonder actie</FormLabel>
          </div>
          <div className="utrecht-form-field__input">
            <input
              id={daysId}
              type="number"
              min={1}
              max={365}
              className="utrecht-textbox utrecht-textbox--html-input kp-narrow"
              value={days}
              onChange={(e) => set('dagen', e.target.value)}
            />
          </div>
        </FormField>
      </div>
      <p className="utrecht-paragraph">
        <label className="kp-check">
          <input
            type="checkbox"
            className="utrecht-checkbox utrecht-checkbox--html-input"
            checked={onlyIdle}
            onChange={(e) => set('zonderActie', e.target.checked ? 'ja' : '')}
          />
          Alleen meldingen zonder actie langer dan {days} dagen
        </label>
      </p>
      <Problem error={inbox.error} />
      {inbox.isPending ? (
        <Loading what="Meldingen" />
      ) : shown.length === 0 ? (
        <p className="utrecht-paragraph" role="status">
          Geen meldingen in deze selectie.
        </p>
      ) : (
        <>
          <div className="utrecht-table-container utrecht-table-container--overflow-inline">
            <table className="utrecht-table utrecht-table--html-table kp-officer-table">
              <caption className="utrecht-table__caption">
                {shown.length} {shown.length === 1 ? 'melding' : 'meldingen'} voor gemeente {code}
              </caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  {['Leerling', 'School', 'Soort melding', 'Periode', 'Ontvangen', 'Status'].map((h) => (
                    <th className="utrecht-table__header-cell" scope="col" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {shown.map((item) => {
                  const d = decrypted.get(item.jwe);
                  const r = d?.ok ? d.report : undefined;
                  const age = ageOf(item);
                  const open = !CLOSED.includes(item.status ?? '');
                  return (
                    <tr className="utrecht-table__row" key={item.reportId}>
                      <td className="utrecht-table__cell">
                        <Link
                          className="utrecht-link"
                          to={`/gemeente/${encodeURIComponent(code)}/${encodeURIComponent(item.reportId)}`}
                        >
                          {r ? pupilName(r) : usableKey ? 'Melding (wordt geopend…)' : 'Versleutelde melding'}
                        </Link>
                        {d && !d.ok && (
                          <>
                            <br />
                            <span className="kp-late">{d.reason}</span>
                          </>
                        )}
                        {r && repeated.has(pupilKey(r) ?? '') && (
                          <>
                            <br />
                            <span className="kp-late">Herhaalde melding dit schooljaar</span>
                          </>
                        )}
                      </td>
                      <td className="utrecht-table__cell">
                        {item.school ?? '—'}
                        {item.locationName && (
                          <>
                            <br />
                            <span className="kp-muted">{item.locationName}</span>
                          </>
                        )}
                      </td>
                      <td className="utrecht-table__cell">
                        {label(REPORT_KIND_LABELS, item.kind)}
                        {item.ageGroup && (
                          <>
                            <br />
                            <span className="kp-muted">{label(AGE_GROUP_LABELS, item.ageGroup)}</span>
                          </>
                        )}
                      </td>
                      <td className="utrecht-table__cell">
                        {formatDate(item.periodBegin)} – {formatDate(item.periodEnd)}
                      </td>
                      <td className="utrecht-table__cell">
                        {formatDateTime(item.storedAt)}
                        {open && (
                          <>
                            <br />
                            <span
                              className={
                                WITHOUT_ACTION.includes(item.status ?? '') && age > days
                                  ? 'kp-late'
                                  : 'kp-muted'
                              }
                            >
                              {age === 0 ? 'vandaag' : age === 1 ? '1 dag open' : `${age} dagen open`}
                              {WITHOUT_ACTION.includes(item.status ?? '') && age > days
                                ? ', zonder actie'
                                : ''}
                            </span>
                          </>
                        )}
                      </td>
                      <td className="utrecht-table__cell">{label(REPORT_STATUS_LABELS, item.status)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="kp-actions">
            <Button appearance="secondary-action-button" onClick={exportCsv}>
              Overzicht downloaden (CSV)
            </Button>
          </div>
          <p className="utrecht-paragraph utrecht-paragraph--small kp-muted">
            Het CSV-bestand wordt in deze browser gemaakt, met de ontsleutelde gegevens, voor de eigen
            administratie van de gemeente. Bewaar het zoals u andere leerplichtgegevens bewaart.
          </p>
        </>
      )}
      {repeated.size > 0 && (
        <section aria-labelledby="herhaald">
          <h2 className="utrecht-heading-2" id="herhaald">
            Leerlingen met herhaalde meldingen dit schooljaar
          </h2>
          <ul className="utrecht-unordered-list">
            {[...repeated.values()].map((v) => (
              <li className="utrecht-unordered-list__item" key={v.name}>
                {v.name}: {v.count} meldingen sinds {formatDate(yearStart)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
