import * as Plot from '@observablehq/plot';
import { Button } from '@utrecht/button-react';
import { FormField } from '@utrecht/form-field-react';
import { FormLabel } from '@utrecht/form-label-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  ABSENCE_CLASSES,
  ABSENCE_CLASS_LABELS,
  type AnalysisResult,
  type Hours,
  WEEKDAY_LABELS,
  byGroup,
  byPeriodAndCategory,
  byWeekdayAndLessonHour,
  clockHours,
  periodLabel,
  toCsv,
} from '../analysis/analysis-data.js';
import { api } from '../api/client.js';
import { SchoolSelect, SelectField } from '../components/fields.js';
import { PageHeading } from '../components/page-heading.js';
import { Loading, Problem } from '../components/problem.js';
import { formatDate, formatHours, todayInAmsterdam } from '../labels/format.js';
import { CATEGORY_LABELS, label } from '../labels/labels.js';
import { schoolsOf, useSignedIn } from './signed-in.js';

const PERIODS = [
  { value: 'week', text: 'Per week' },
  { value: 'month', text: 'Per maand' },
];

const hoursText = (h: Hours): string => formatHours(h.lessons, h.minutes);

/** The school year of the school's calendar; without one, 1 August – 31 July around today. */
function useSchoolYear(school: string): { from: string; to: string } | null {
  const calendar = useQuery({
    queryKey: ['calendar', school],
    queryFn: () =>
      api<{ calendar: { firstSchoolDay: string; lastSchoolDay: string } }>(
        `/v1/schools/${encodeURIComponent(school)}/calendar`,
      ),
    enabled: school !== '',
    retry: false,
    staleTime: 300_000,
  });
  if (calendar.isPending && school !== '') return null;
  if (calendar.data) {
    return { from: calendar.data.calendar.firstSchoolDay, to: calendar.data.calendar.lastSchoolDay };
  }
  const today = todayInAmsterdam();
  const year = Number(today.slice(0, 4)) - (today.slice(5) < '08-01' ? 1 : 0);
  return { from: `${year}-08-01`, to: `${year + 1}-07-31` };
}

function useAnalysis(school: string, from: string, to: string, by: string, period: string) {
  return useQuery({
    queryKey: ['analysis', school, from, to, by, period],
    queryFn: () =>
      api<AnalysisResult>(
        `/v1/schools/${encodeURIComponent(school)}/analysis?${new URLSearchParams({ from, to, by, period })}`,
      ),
    enabled: school !== '' && from !== '' && to !== '',
  });
}

/** An Observable Plot chart; its picture is one image for assistive technology, the table beside it the text. */
function Chart({ summary, render }: { summary: string; render: () => SVGSVGElement | HTMLElement }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = render();
    // Plot labels its mark groups (`<g aria-label="bar">`); inside one image they say nothing, and ARIA forbids a
    // label on an element without a role.
    for (const el of chart.querySelectorAll('[aria-label], [aria-description]')) {
      el.removeAttribute('aria-label');
      el.removeAttribute('aria-description');
    }
    ref.current?.replaceChildren(chart);
    return () => chart.remove();
  }, [render]);
  return <div className="kp-chart" role="img" aria-label={summary} ref={ref} />;
}

/** A link-styled button that downloads a CSV file made in the browser. */
function CsvDownload({ file, csv, text }: { file: string; csv: string; text: string }) {
  const download = () => {
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };
  return (
    <Button appearance="secondary-action-button" onClick={download}>
      {text}
    </Button>
  );
}

function DateField({
  label: text,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <FormField type="text">
      <div className="utrecht-form-field__label">
        <FormLabel htmlFor={id}>{text}</FormLabel>
      </div>
      <div className="utrecht-form-field__input">
        <input
          id={id}
          type="date"
          className="utrecht-textbox utrecht-textbox--html-input"
          value={value}
          required
          onChange={(event) => onChange(event.target.value)}
        />
      </div>
    </FormField>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section className="kp-analysis-section" aria-labelledby={id}>
      <h2 className="utrecht-heading-2" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}

function CategoryChart({ result, file }: { result: AnalysisResult; file: string }) {
  const rows = useMemo(() => byPeriodAndCategory(result), [result]);
  const periods = useMemo(() => [...new Set(rows.map((r) => r.period))], [rows]);
  const categories = useMemo(() => [...new Set(rows.map((r) => r.category))].sort(), [rows]);
  const cell = (period: string, category: string): Hours =>
    rows.find((r) => r.period === period && r.category === category)?.hours ?? { lessons: 0, minutes: 0 };
  const render = useMemo(
    () => () =>
      Plot.plot({
        style: { fontSize: '13px' },
        marginBottom: 70,
        marginLeft: 60,
        x: { domain: periods.map(periodLabel), label: null, tickRotate: -35 },
        y: { label: 'lesuren', grid: true },
        color: { legend: true, domain: categories.map((c) => label(CATEGORY_LABELS, c)) },
        marks: [
          Plot.barY(rows, {
            x: (r: (typeof rows)[number]) => periodLabel(r.period),
            y: (r: (typeof rows)[number]) => r.hours.lessons,
            fill: (r: (typeof rows)[number]) => label(CATEGORY_LABELS, r.category),
          }),
          Plot.ruleY([0]),
        ],
      }),
    [rows, periods, categories],
  );
  const csv = toCsv(
    ['Periode', 'Categorie', 'Lesuren', 'Klokuren'],
    rows.map((r) => [
      periodLabel(r.period),
      label(CATEGORY_LABELS, r.category),
      r.hours.lessons,
      clockHours(r.hours.minutes),
    ]),
  );
  if (rows.length === 0) return <p className="utrecht-paragraph">Geen verzuim in deze periode.</p>;
  const total = rows.reduce((s, r) => s + r.hours.lessons, 0);
  return (
    <>
      <Chart
        summary={`Staafdiagram: verzuim per ${result.period === 'week' ? 'week' : 'maand'} naar categorie, ${total} lesuren in totaal. De tabel hieronder bevat dezelfde cijfers.`}
        render={render}
      />
      <div className="utrecht-table-container utrecht-table-container--overflow-inline">
        <table className="utrecht-table utrecht-table--html-table" data-testid="tabel-categorie">
          <caption className="utrecht-table__caption">Verzuim per periode en categorie</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th className="utrecht-table__header-cell" scope="col">
                Periode
              </th>
              {categories.map((c) => (
                <th key={c} className="utrecht-table__header-cell" scope="col">
                  {label(CATEGORY_LABELS, c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {periods.map((p) => (
              <tr key={p} className="utrecht-table__row">
                <th className="utrecht-table__header-cell" scope="row">
                  {periodLabel(p)}
                </th>
                {categories.map((c) => (
                  <td key={c} className="utrecht-table__cell">
                    {cell(p, c).lessons === 0 ? '—' : hoursText(cell(p, c))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <CsvDownload file={file} csv={csv} text="Download als CSV (per categorie)" />
    </>
  );
}

function GroupChart({ result, file }: { result: AnalysisResult; file: string }) {
  const rows = useMemo(() => byGroup(result), [result]);
  const flat = useMemo(
    () =>
      rows.flatMap((r) =>
        ABSENCE_CLASSES.map((c) => ({
          group: r.group,
          legal: ABSENCE_CLASS_LABELS[c],
          lessons: r.perClass[c].lessons,
        })),
      ),
    [rows],
  );
  const render = useMemo(
    () => () =>
      Plot.plot({
        style: { fontSize: '13px' },
        marginLeft: 90,
        x: { label: 'lesuren', grid: true },
        y: { label: null, domain: rows.map((r) => r.group) },
        color: { legend: true, domain: ABSENCE_CLASSES.map((c) => ABSENCE_CLASS_LABELS[c]) },
        marks: [Plot.barX(flat, { y: 'group', x: 'lessons', fill: 'legal' }), Plot.ruleX([0])],
      }),
    [rows, flat],
  );
  const csv = toCsv(
    [
      'Klas',
      ...ABSENCE_CLASSES.flatMap((c) => [
        `${ABSENCE_CLASS_LABELS[c]} (lesuren)`,
        `${ABSENCE_CLASS_LABELS[c]} (klokuren)`,
      ]),
      'Totaal (lesuren)',
      'Totaal (klokuren)',
    ],
    rows.map((r) => [
      r.group,
      ...ABSENCE_CLASSES.flatMap((c) => [r.perClass[c].lessons, clockHours(r.perClass[c].minutes)]),
      r.total.lessons,
      clockHours(r.total.minutes),
    ]),
  );
  if (rows.length === 0) return <p className="utrecht-paragraph">Geen verzuim in deze periode.</p>;
  return (
    <>
      <Chart
        summary={`Staafdiagram: verzuim per klas over de gekozen periode, ${rows.length} klassen. De tabel hieronder bevat dezelfde cijfers.`}
        render={render}
      />
      <div className="utrecht-table-container utrecht-table-container--overflow-inline">
        <table className="utrecht-table utrecht-table--html-table" data-testid="tabel-klas">
          <caption className="utrecht-table__caption">Verzuim per klas</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th className="utrecht-table__header-cell" scope="col">
                Klas
              </th>
              {ABSENCE_CLASSES.map((c) => (
                <th key={c} className="utrecht-table__header-cell" scope="col">
                  {ABSENCE_CLASS_LABELS[c]}
                </th>
              ))}
              <th className="utrecht-table__header-cell" scope="col">
                Totaal
              </th>
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {rows.map((r) => (
              <tr key={r.group} className="utrecht-table__row">
                <th className="utrecht-table__header-cell" scope="row">
                  {r.group === 'onbekend' ? 'Onbekend' : r.group}
                </th>
                {ABSENCE_CLASSES.map((c) => (
                  <td key={c} className="utrecht-table__cell">
                    {hoursText(r.perClass[c])}
                  </td>
                ))}
                <td className="utrecht-table__cell">{hoursText(r.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <CsvDownload file={file} csv={csv} text="Download als CSV (per klas)" />
    </>
  );
}

function HeatMap({ result, file }: { result: AnalysisResult; file: string }) {
  const { hours, cells } = useMemo(() => byWeekdayAndLessonHour(result), [result]);
  const max = Math.max(1, ...cells.map((c) => c.hours.lessons));
  const hourLabel = (h: string): string => (h === 'onbekend' ? 'onbekend' : `${h}e uur`);
  const render = useMemo(
    () => () =>
      Plot.plot({
        style: { fontSize: '13px' },
        marginLeft: 80,
        x: { label: null, domain: ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag'], axis: 'top' },
        y: { label: null, domain: hours.map(hourLabel) },
        color: { scheme: 'blues', label: 'lesuren', legend: true, domain: [0, max] },
        marks: [
          Plot.cell(cells, {
            x: (c: (typeof cells)[number]) => WEEKDAY_LABELS[c.weekday],
            y: (c: (typeof cells)[number]) => hourLabel(c.lessonHour),
            fill: (c: (typeof cells)[number]) => c.hours.lessons,
            inset: 1,
          }),
          // The number in every cell: the heat map does not speak by colour alone (WCAG 1.4.1).
          Plot.text(cells, {
            x: (c: (typeof cells)[number]) => WEEKDAY_LABELS[c.weekday],
            y: (c: (typeof cells)[number]) => hourLabel(c.lessonHour),
            text: (c: (typeof cells)[number]) => String(c.hours.lessons),
            fill: (c: (typeof cells)[number]) => (c.hours.lessons > max / 2 ? 'white' : 'black'),
          }),
        ],
      }),
    [cells, hours, max],
  );
  const csv = toCsv(
    ['Weekdag', 'Lesuur', 'Lesuren', 'Klokuren'],
    cells.map((c) => [
      WEEKDAY_LABELS[c.weekday] ?? c.weekday,
      c.lessonHour,
      c.hours.lessons,
      clockHours(c.hours.minutes),
    ]),
  );
  if (hours.length === 0) return <p className="utrecht-paragraph">Geen verzuim in deze periode.</p>;
  return (
    <>
      <Chart
        summary="Warmtekaart: verzuim in lesuren per weekdag en lesuur over de gekozen periode. De tabel hieronder bevat dezelfde cijfers."
        render={render}
      />
      <div className="utrecht-table-container utrecht-table-container--overflow-inline">
        <table className="utrecht-table utrecht-table--html-table" data-testid="tabel-weekdag">
          <caption className="utrecht-table__caption">Verzuim per lesuur en weekdag</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th className="utrecht-table__header-cell" scope="col">
                Lesuur
              </th>
              {['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => (
                <th key={d} className="utrecht-table__header-cell" scope="col">
                  {WEEKDAY_LABELS[d]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {hours.map((h) => (
              <tr key={h} className="utrecht-table__row">
                <th className="utrecht-table__header-cell" scope="row">
                  {hourLabel(h)}
                </th>
                {cells
                  .filter((c) => c.lessonHour === h)
                  .map((c) => (
                    <td key={c.weekday} className="utrecht-table__cell">
                      {hoursText(c.hours)}
                    </td>
                  ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <CsvDownload file={file} csv={csv} text="Download als CSV (per weekdag en lesuur)" />
    </>
  );
}

/** Analysis: absence per week or month by category, per class, and per weekday and lesson hour. */
export function AnalysisPage() {
  const session = useSignedIn();
  const schools = schoolsOf(session);
  const [params, setParams] = useSearchParams();
  const school = params.get('school') ?? schools[0] ?? '';
  const schoolYear = useSchoolYear(school);
  const from = params.get('van') ?? schoolYear?.from ?? '';
  const to = params.get('tot') ?? schoolYear?.to ?? '';
  const period = params.get('per') === 'month' ? 'month' : 'week';
  const [draft, setDraft] = useState<{ from: string; to: string; period: string } | null>(null);
  const form = draft ?? { from, to, period };
  const [formError, setFormError] = useState<string | null>(null);
  const categories = useAnalysis(school, from, to, 'reason', period);
  const groups = useAnalysis(school, from, to, 'group', period);
  const heat = useAnalysis(school, from, to, 'weekdayLessonHour', period);
  const base = `verzuim-${school}-${from}-${to}`;

  const apply = (event: React.FormEvent) => {
    event.preventDefault();
    if (form.from === '' || form.to === '') {
      setFormError('Vul een begin- en einddatum in.');
      return;
    }
    if (form.to < form.from) {
      setFormError('De einddatum ligt vóór de begindatum. Kies een einddatum op of na de begindatum.');
      return;
    }
    setFormError(null);
    const next = new URLSearchParams(params);
    next.set('van', form.from);
    next.set('tot', form.to);
    next.set('per', form.period);
    setParams(next, { replace: true });
    setDraft(null);
  };

  return (
    <>
      <PageHeading title="Analyse">Analyse van verzuim</PageHeading>
      <p className="utrecht-paragraph">
        Verzuim zoals de signalen het tellen: geoorloofd, ongeoorloofd en nog niet beoordeeld, in lesuren en
        klokuren. Standaard het schooljaar volgens de schoolkalender.
      </p>
      <form className="kp-filters" onSubmit={apply} aria-label="Periode kiezen">
        <SchoolSelect
          schools={schools}
          value={school}
          onChange={(v) => {
            const next = new URLSearchParams();
            next.set('school', v);
            setParams(next, { replace: true });
            setDraft(null);
          }}
        />
        <DateField label="Van" value={form.from} onChange={(v) => setDraft({ ...form, from: v })} />
        <DateField label="Tot en met" value={form.to} onChange={(v) => setDraft({ ...form, to: v })} />
        <SelectField
          label="Indeling"
          value={form.period}
          onChange={(v) => setDraft({ ...form, period: v })}
          options={PERIODS}
        />
        <div className="kp-actions">
          <Button type="submit" appearance="primary-action-button">
            Toon analyse
          </Button>
        </div>
      </form>
      {formError && (
        <p className="utrecht-form-field-error-message" role="alert">
          {formError}
        </p>
      )}
      {from !== '' && (
        <p className="utrecht-paragraph" aria-live="polite">
          Periode: {formatDate(from)} tot en met {formatDate(to)},{' '}
          {period === 'week' ? 'per week' : 'per maand'}.
        </p>
      )}
      <Section
        id="per-categorie"
        title={`Verzuim per ${period === 'week' ? 'week' : 'maand'} naar categorie`}
      >
        {categories.isPending ? (
          <Loading what="Verzuim per categorie" />
        ) : categories.data ? (
          <CategoryChart result={categories.data} file={`${base}-per-categorie.csv`} />
        ) : (
          <Problem error={categories.error} />
        )}
      </Section>
      <Section id="per-klas" title="Verzuim per klas">
        {groups.isPending ? (
          <Loading what="Verzuim per klas" />
        ) : groups.data ? (
          <GroupChart result={groups.data} file={`${base}-per-klas.csv`} />
        ) : (
          <Problem error={groups.error} />
        )}
      </Section>
      <Section id="per-lesuur" title="Verzuim per weekdag en lesuur">
        {heat.isPending ? (
          <Loading what="Verzuim per weekdag en lesuur" />
        ) : heat.data ? (
          <HeatMap result={heat.data} file={`${base}-per-weekdag-en-lesuur.csv`} />
        ) : (
          <Problem error={heat.error} />
        )}
      </Section>
    </>
  );
}
