import { Button } from '@utrecht/button-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { Textbox } from '@utrecht/textbox-react';
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { usePupilCases } from '../api/case-queries.js';
import { ApiError } from '../api/client.js';
import { usePupilOverview } from '../api/queries.js';
import type { OverviewCell, OverviewDay, OverviewWeek, OverviewWindow, PupilOverview } from '../api/types.js';
import { PageHeading } from '../components/page-heading.js';
import { Loading, Problem } from '../components/problem.js';
import { formatClockMinutes, formatDate, formatHours, formatInstantDate } from '../labels/format.js';
import {
  CASE_STATE_LABELS,
  CATEGORY_LABELS,
  CATEGORY_SHORT_LABELS,
  REPORT_KIND_LABELS,
  REPORT_STATUS_LABELS,
  RULE_LABELS,
  SOURCE_SYSTEM_LABELS,
  WEEKDAY_LABELS,
  label,
} from '../labels/labels.js';

const WEEKDAY_ORDER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const SHORT_DAY: Record<string, string> = {
  mon: 'ma',
  tue: 'di',
  wed: 'wo',
  thu: 'do',
  fri: 'vr',
  sat: 'za',
  sun: 'zo',
};

/** The category of a lesson hour on a day: the record covering it (a whole-day record covers every hour). */
function cellAt(day: OverviewDay, hour: number): OverviewCell | undefined {
  return day.cells.find((c) =>
    c.lessonHourFrom === null
      ? true
      : hour >= c.lessonHourFrom && hour <= (c.lessonHourTo ?? c.lessonHourFrom),
  );
}

function windowText(w: OverviewWindow): string {
  const hours =
    w.measured.unit === 'CLOCK_HOUR'
      ? formatClockMinutes(w.measured.unauthorisedMinutes)
      : formatHours(w.measured.unauthorisedLessons, w.measured.unauthorisedMinutes);
  return `${formatDate(w.beginDate)} – ${formatDate(w.endDate)}: ${hours} ongeoorloofd (drempel ${w.threshold} ${w.measured.unit === 'CLOCK_HOUR' ? 'uur' : 'lesuren'})`;
}

function WeekCalendar({ overview }: { overview: PupilOverview }) {
  const weekdays = WEEKDAY_ORDER.filter((d) =>
    overview.weeks.some((w) => w.days.some((day) => day.weekday === d)),
  );
  const hours = overview.lessonHours;
  const windowIds = new Set(overview.windows.filter((w) => w.status === 'OPEN').map((w) => w.signalId));
  const used = [
    ...new Set(overview.weeks.flatMap((w) => w.days.flatMap((d) => d.cells.map((c) => c.category)))),
  ];
  const row = (week: OverviewWeek) => {
    const inWindow = week.windows.some((id) => windowIds.has(id));
    return (
      <tr className={`utrecht-table__row${inWindow ? ' kp-week--window' : ''}`} key={week.weekStart}>
        <th className="utrecht-table__header-cell kp-week__label" scope="row">
          Week van {formatDate(week.weekStart)}
          {inWindow && <span className="kp-week__marker"> — in de drempelperiode</span>}
        </th>
        {weekdays.map((weekday) => {
          const day = week.days.find((d) => d.weekday === weekday);
          if (!day)
            return (
              <td className="utrecht-table__cell kp-cal__none" colSpan={hours.length} key={weekday}>
                <span className="kp-visually-hidden">buiten de gekozen periode</span>
              </td>
            );
          if (!day.schoolDay)
            return (
              <td className="utrecht-table__cell kp-cal__closed" colSpan={hours.length} key={weekday}>
                {day.closedFor ?? 'geen schooldag'}
              </td>
            );
          return hours.map((hour) => {
            const cell = cellAt(day, hour);
            return (
              <td
                className={`utrecht-table__cell kp-cal__cell${cell ? ` kp-cat kp-cat--${cell.legalClass}` : ''}`}
                key={`${weekday}-${hour}`}
              >
                {cell && (
                  <>
                    <span aria-hidden="true">{label(CATEGORY_SHORT_LABELS, cell.category)}</span>
                    <span className="kp-visually-hidden">
                      {WEEKDAY_LABELS[day.weekday]} {formatDate(day.date)}, lesuur {hour}:{' '}
                      {label(CATEGORY_LABELS, cell.category)}
                    </span>
                  </>
                )}
              </td>
            );
          });
        })}
      </tr>
    );
  };
  return (
    <>
      <div className="kp-table-scroll" tabIndex={0} role="region" aria-labelledby="kalender-titel">
        <table className="utrecht-table utrecht-table--html-table kp-cal">
          <caption className="utrecht-table__caption" id="kalender-titel">
            Lesuren per schoolweek, {formatDate(overview.period.from)} – {formatDate(overview.period.to)}
          </caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <td className="utrecht-table__header-cell" />
              {weekdays.map((d) => (
                <th className="utrecht-table__header-cell" scope="colgroup" colSpan={hours.length} key={d}>
                  {WEEKDAY_LABELS[d]}
                </th>
              ))}
            </tr>
            <tr className="utrecht-table__row">
              <th className="utrecht-table__header-cell" scope="col">
                Week
              </th>
              {weekdays.flatMap((d) =>
                hours.map((h) => (
                  <th className="utrecht-table__header-cell kp-cal__hour" scope="col" key={`${d}-${h}`}>
                    <span aria-hidden="true">{h}</span>
                    <span className="kp-visually-hidden">
                      {SHORT_DAY[d]} lesuur {h}
                    </span>
                  </th>
                )),
              )}
            </tr>
          </thead>
          <tbody className="utrecht-table__body">{overview.weeks.map(row)}</tbody>
        </table>
      </div>
      <h3 className="utrecht-heading-3">Legenda</h3>
      {used.length === 0 ? (
        <p className="utrecht-paragraph">In deze periode is geen afwezigheid geregistreerd.</p>
      ) : (
        <ul className="kp-legend">
          {used.map((category) => {
            const legalClass = overview.weeks
              .flatMap((w) => w.days.flatMap((d) => d.cells))
              .find((c) => c.category === category)?.legalClass;
            return (
              <li key={category}>
                <span className={`kp-legend__swatch kp-cat kp-cat--${legalClass}`} aria-hidden="true">
                  {label(CATEGORY_SHORT_LABELS, category)}
                </span>{' '}
                {label(CATEGORY_LABELS, category)}
              </li>
            );
          })}
          <li>
            <span className="kp-legend__swatch kp-legend__swatch--window" aria-hidden="true" /> Week in de
            periode die de drempel overschreed
          </li>
          <li>Leeg vakje: geen afwezigheid geregistreerd</li>
        </ul>
      )}
    </>
  );
}

function Evidence({ overview }: { overview: PupilOverview }) {
  if (overview.records.length === 0)
    return <p className="utrecht-paragraph">Geen registraties in deze periode.</p>;
  return (
    <div className="kp-table-scroll" tabIndex={0} role="region" aria-labelledby="registraties-titel">
      <table className="utrecht-table utrecht-table--html-table">
        <caption className="utrecht-table__caption" id="registraties-titel">
          Registraties uit het schoolsysteem
        </caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            {['Datum', 'Lesuur', 'Categorie', 'Bron', 'Kenmerk in de bron', 'Bewijs voor melding'].map(
              (h) => (
                <th className="utrecht-table__header-cell" scope="col" key={h}>
                  {h}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody className="utrecht-table__body">
          {overview.records.map((r) => (
            <tr className="utrecht-table__row" key={r.recordId}>
              <td className="utrecht-table__cell">{formatDate(r.date)}</td>
              <td className="utrecht-table__cell">
                {r.lessonHourFrom === null
                  ? 'hele dag'
                  : r.lessonHourTo !== null && r.lessonHourTo !== r.lessonHourFrom
                    ? `${r.lessonHourFrom} t/m ${r.lessonHourTo}`
                    : String(r.lessonHourFrom)}
              </td>
              <td className="utrecht-table__cell">{label(CATEGORY_LABELS, r.category)}</td>
              <td className="utrecht-table__cell">{label(SOURCE_SYSTEM_LABELS, r.sourceSystem)}</td>
              <td className="utrecht-table__cell kp-mono">{r.sourceId}</td>
              <td className="utrecht-table__cell">{r.evidenceOf.length > 0 ? 'ja' : 'nee'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The case history: one row per absence episode (ADR 0018), linked to its case page. */
function Cases({ school, localId }: { school: string; localId: string }) {
  const { data, error, isPending } = usePupilCases(school, localId);
  if (isPending) return <p className="utrecht-paragraph">Dossiers laden…</p>;
  if (error) return <Problem error={error} />;
  if (data.items.length === 0)
    return (
      <p className="utrecht-paragraph">Deze leerling heeft geen dossier: er is geen verzuimperiode gemeld.</p>
    );
  return (
    <table className="utrecht-table utrecht-table--html-table">
      <caption className="utrecht-table__caption">Dossiers van deze leerling, de nieuwste eerst</caption>
      <thead className="utrecht-table__header">
        <tr className="utrecht-table__row">
          {['Dossier', 'Verzuimperiode', 'Stand', 'Meldingen'].map((h) => (
            <th className="utrecht-table__header-cell" scope="col" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="utrecht-table__body">
        {data.items.map((c) => (
          <tr className="utrecht-table__row" key={c.id}>
            <td className="utrecht-table__cell">
              <Link className="utrecht-link" to={`/dossiers/${c.id}`}>
                Dossier vanaf {formatDate(c.beginDate)}
              </Link>
            </td>
            <td className="utrecht-table__cell">
              {formatDate(c.beginDate)} tot en met {formatDate(c.endDate ?? c.lastDate)}
              {c.endDate === null ? ' (nog geen einddatum)' : ''}
            </td>
            <td className="utrecht-table__cell">{label(CASE_STATE_LABELS, c.state)}</td>
            <td className="utrecht-table__cell">{c.reports.length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Reports({ overview, school }: { overview: PupilOverview; school: string }) {
  if (overview.reports.length === 0)
    return <p className="utrecht-paragraph">Voor deze leerling zijn geen meldingen gemaakt.</p>;
  return (
    <table className="utrecht-table utrecht-table--html-table">
      <caption className="utrecht-table__caption">Meldingen van deze leerling</caption>
      <thead className="utrecht-table__header">
        <tr className="utrecht-table__row">
          {['Melding', 'Aanleiding', 'Status', 'Aangemaakt', 'Kenmerk DUO'].map((h) => (
            <th className="utrecht-table__header-cell" scope="col" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="utrecht-table__body">
        {overview.reports.map((r) => (
          <tr className="utrecht-table__row" key={r.id}>
            <td className="utrecht-table__cell">
              <Link className="utrecht-link" to={`/meldingen/${school}/${r.id}`}>
                {label(REPORT_KIND_LABELS, r.kind)}
              </Link>
            </td>
            <td className="utrecht-table__cell">{label(RULE_LABELS, r.rule)}</td>
            <td className="utrecht-table__cell">
              <span className={`kp-status kp-status--${r.status.toLowerCase()}`}>
                {label(REPORT_STATUS_LABELS, r.status)}
              </span>
            </td>
            <td className="utrecht-table__cell">{formatInstantDate(r.createdAt)}</td>
            <td className="utrecht-table__cell">{r.externalRef ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The longest period the API shows (OVERVIEW_MAX_DAYS): half a year. */
const MAX_DAYS = 26 * 7;

/** A date `days` later (negative: earlier), YYYY-MM-DD. */
function shift(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The period shown: two dates and a button (the page's address keeps them, `?van=…&tot=…`). */
function PeriodForm({
  period,
  onChoose,
}: {
  period: { from: string; to: string };
  onChoose: (from: string, to: string) => void;
}) {
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const [refused, setRefused] = useState(false);
  useEffect(() => {
    setFrom(period.from);
    setTo(period.to);
  }, [period.from, period.to]);
  return (
    <form
      className="kp-period"
      aria-label="Periode kiezen"
      onSubmit={(event) => {
        event.preventDefault();
        const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
        const ok = Number.isFinite(days) && days >= 1 && days <= MAX_DAYS;
        setRefused(!ok);
        if (ok) onChoose(from, to);
      }}
    >
      {refused && (
        <div className="kp-period__problem">
          <Problem error={new ApiError(400, 'OVERVIEW_INVALID')} />
        </div>
      )}
      <FormField type="text">
        <div className="utrecht-form-field__label">
          <FormLabel htmlFor="periode-van">Van</FormLabel>
        </div>
        <div className="utrecht-form-field__input">
          <Textbox id="periode-van" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
      </FormField>
      <FormField type="text">
        <div className="utrecht-form-field__label">
          <FormLabel htmlFor="periode-tot">Tot en met</FormLabel>
        </div>
        <div className="utrecht-form-field__input">
          <Textbox id="periode-tot" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
      </FormField>
      <Button type="submit" appearance="secondary-action-button">
        Toon periode
      </Button>
    </form>
  );
}

/** The pupil page (issue 13 item 3): who the pupil is, the weeks, the threshold window, evidence and reports. */
export function PupilPage() {
  const { school = '', localId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const from = params.get('van') ?? undefined;
  const to = params.get('tot') ?? undefined;
  const overview = usePupilOverview(school, localId, true, { from, to });
  const data = overview.data;
  const title = data?.pupil.displayName ?? `Leerling ${localId}`;
  const open = data?.windows.filter((w) => w.status === 'OPEN') ?? [];
  const choose = (van: string, tot: string) => setParams({ van, tot }, { replace: false });
  // Without a chosen period: when the last 12 weeks miss the window that crossed the threshold, show that window
  // (with two weeks around it) instead, so the page opens where the report comes from.
  const latest = open.at(-1);
  const missed =
    !from &&
    !to &&
    data !== undefined &&
    latest !== undefined &&
    !open.some((w) => w.endDate >= data.period.from && w.beginDate <= data.period.to);
  useEffect(() => {
    if (missed && latest)
      setParams({ van: shift(latest.beginDate, -14), tot: shift(latest.endDate, 14) }, { replace: true });
  }, [missed, latest, setParams]);
  return (
    <>
      <PageHeading title={data ? title : 'Leerling'}>{data ? title : 'Leerling'}</PageHeading>
      {overview.isPending && <Loading what="Leerling" />}
      <Problem error={overview.error} />
      {data && (
        <>
          <dl className="kp-summary">
            <div>
              <dt>Leerlingnummer</dt>
              <dd>{data.pupil.localId}</dd>
            </div>
            <div>
              <dt>Klas of groep</dt>
              <dd>{data.pupil.group ?? 'onbekend'}</dd>
            </div>
            <div>
              <dt>Mentor</dt>
              <dd>{data.pupil.mentor ?? 'onbekend'}</dd>
            </div>
            <div>
              <dt>School</dt>
              <dd>{data.pupil.school}</dd>
            </div>
            <div>
              <dt>Ingeschreven</dt>
              <dd>
                sinds {formatDate(data.pupil.enrolledFrom)}
                {data.pupil.leftOn ? `, uitgeschreven op ${formatDate(data.pupil.leftOn)}` : ''}
              </dd>
            </div>
            {data.pupil.education?.leerjaar !== undefined && (
              <div>
                <dt>Leerjaar</dt>
                <dd>{data.pupil.education.leerjaar}</dd>
              </div>
            )}
          </dl>

          <h2 className="utrecht-heading-2">Drempel overschreden</h2>
          {open.length === 0 ? (
            <p className="utrecht-paragraph">Er is geen periode waarin een drempel is overschreden.</p>
          ) : (
            <ul className="kp-windows" aria-live="polite">
              {open.map((w) => (
                <li key={w.signalId}>
                  <strong>{label(RULE_LABELS, w.rule)}</strong>: {windowText(w)}{' '}
                  <Link
                    className="utrecht-link"
                    to={`?van=${shift(w.beginDate, -14)}&tot=${shift(w.endDate, 14)}`}
                  >
                    Toon deze periode in de kalender
                  </Link>
                </li>
              ))}
            </ul>
          )}

          <h2 className="utrecht-heading-2">Weekkalender</h2>
          <PeriodForm period={data.period} onChoose={choose} />
          <WeekCalendar overview={data} />

          <h2 className="utrecht-heading-2">Registraties</h2>
          <Evidence overview={data} />

          <h2 className="utrecht-heading-2">Dossiers</h2>
          <Cases school={school} localId={localId} />

          <h2 className="utrecht-heading-2">Meldingen</h2>
          <Reports overview={data} school={school} />
        </>
      )}
    </>
  );
}
