import { CATEGORY_INFO, type Category, dutchDate, dutchMoment } from '#domain';
import type { AccessReport } from './access-report.usecase.js';

const RECIPIENTS: Record<string, string> = {
  DUO: 'DUO (Register Onderwijsdeelnemers)',
  LEERPLICHT: 'Leerplicht (woongemeente)',
  DOORSTROOMPUNT: 'Doorstroompunt (RMC)',
  JGZ: 'Jeugdgezondheidszorg (jeugdarts)',
  INSPECTIE: 'Inspectie van het Onderwijs',
  SCHOOL: 'School (terugkoppeling over de afhandeling)',
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string | number | boolean | null | undefined): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const LEGAL_CLASSES: Record<string, string> = {
  present: 'aanwezig',
  authorised: 'geoorloofd',
  unauthorised: 'ongeoorloofd',
  pending: 'nog niet beoordeeld',
  not_absence: 'geen verzuim',
};

const categoryOf = (category: string): string => CATEGORY_INFO[category as Category]?.labelNl ?? category;
/** A YYYY-MM-DD date in words; anything else as it is. */
const dateOf = (date: string | null | undefined): string =>
  date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? dutchDate(date) : (date ?? '');
/** An ISO instant as day and time in words; anything else as it is. */
const momentOf = (instant: string | null | undefined): string =>
  instant && !Number.isNaN(Date.parse(instant)) ? dutchMoment(instant) : (instant ?? '');

const yesNo = (value: boolean | null): string => (value === null ? 'onbekend' : value ? 'ja' : 'nee');

/** The access report as a readable Dutch page; every value is escaped. */
export function renderAccessReportHtml(report: AccessReport): string {
  const e = escapeHtml;
  const row = (label: string, value: string | null): string =>
    `<tr><th scope="row">${e(label)}</th><td>${e(value)}</td></tr>`;
  const p = report.pupil;
  const records = report.records.length
    ? `<table><thead><tr><th>Datum</th><th>Van</th><th>Tot</th><th>Categorie</th><th>Soort</th><th>Gemiste minuten</th><th>Bron</th></tr></thead><tbody>${report.records
        .map(
          (r) =>
            `<tr><td>${e(dateOf(r.date))}</td><td>${e(r.start ?? (r.wholeDay ? 'hele dag' : ''))}</td><td>${e(r.end ?? '')}</td><td>${e(categoryOf(r.category))}</td><td>${e(LEGAL_CLASSES[r.legalClass] ?? r.legalClass)}</td><td>${e(r.missedMinutes ?? '')}</td><td>${e(r.sourceSystem)} ${e(r.sourceId)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>Er zijn geen absentieregistraties opgeslagen.</p>';
  const quarantined = report.quarantined.length
    ? `<table><thead><tr><th>Ontvangen</th><th>Bron</th><th>Reden</th><th>Toelichting</th></tr></thead><tbody>${report.quarantined
        .map(
          (q) =>
            `<tr><td>${e(momentOf(q.receivedAt))}</td><td>${e(q.sourceSystem)} ${e(q.sourceId ?? '')}</td><td>${e(q.reason)}</td><td>${e(q.detail)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>Er staan geen gegevens in quarantaine.</p>';
  const disclosures = report.disclosures.length
    ? `<table><thead><tr><th>Wanneer</th><th>Aan</th><th>Doel</th><th>Verstrekte velden</th><th>Niet verstrekt</th><th>Regels</th><th>Grondslag</th><th>Bewaard tot</th></tr></thead><tbody>${report.disclosures
        .map(
          (d) =>
            `<tr><td>${e(momentOf(d.at))}</td><td>${e(RECIPIENTS[d.recipient.kind] ?? d.recipient.kind)}${d.recipient.id ? ` (${e(d.recipient.id)})` : ''}</td><td>${e(d.purpose)}${d.reportKind ? ` — ${e(d.reportKind)}` : ''}</td><td>${e(d.released.join(', '))}</td><td>${e(d.withheld.map((w) => `${w.field} (${w.rule})`).join(', '))}</td><td>${e(d.determinedBy.join(', '))} — beleid ${e(d.policy.id)} versie ${e(d.policy.version)}</td><td>${e(d.legalBasis ?? 'niet vastgelegd')}</td><td>${e(d.retainedUntil ? dateOf(d.retainedUntil) : 'onbekend')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>Er zijn geen gegevens van deze leerling aan anderen verstrekt.</p>';
  const hold = report.legalHold
    ? `<p>Ja: de gegevens worden niet verwijderd zolang deze bewaarplicht geldt. Reden: ${e(report.legalHold.reason)} (vastgelegd op ${e(momentOf(report.legalHold.at))}).</p>`
    : '<p>Nee.</p>';
  return `<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>Inzageverzoek leerling ${e(p.localId)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem}table{border-collapse:collapse;margin-bottom:1.5rem}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}</style></head>
<body>
<h1>Overzicht van gegevens (inzageverzoek, artikel 15 AVG)</h1>
<p>Opgesteld op ${e(momentOf(report.generatedAt))} door schoolbestuur ${e(report.board)}.</p>
<h2>Leerling</h2>
<table><tbody>
${row('Leerling-id', p.localId)}
${row('School (BRIN)', p.school)}
${row('Geboortedatum', dateOf(p.birthDate))}
${row('Onderwijssoort', p.sector)}
${row('Startkwalificatie', yesNo(p.startkwalificatie))}
${row('Woongemeente (CBS-code)', p.woongemeente ?? 'onbekend')}
${row('Ingeschreven vanaf', dateOf(p.enrolledFrom))}
${row('Uitgeschreven op', p.leftOn ? dateOf(p.leftOn) : 'nog ingeschreven')}
${row('BSN', p.bsn)}
</tbody></table>
<h2>Bewaarplicht (juridische blokkade)</h2>
${hold}
<h2>Absentieregistraties (${report.records.length})</h2>
${records}
<h2>Gegevens in quarantaine (${report.quarantined.length})</h2>
${quarantined}
<h2>Verstrekkingen aan anderen (${report.disclosures.length})</h2>
${disclosures}
</body>
</html>
`;
}
