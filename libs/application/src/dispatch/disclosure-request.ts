import type { DisclosureRequest, Pupil, RecipientKind, Report } from '#domain';
import { ageInYearsOn } from '../leerplicht-routing/index.js';

/** The purpose a recipient receives a report for (the privacy policy's purposes, contracts §6). */
export const PURPOSE_OF_RECIPIENT: Readonly<Record<string, string>> = {
  DUO: 'STATUTORY_REPORT',
  LEERPLICHT: 'LEERPLICHT_ENFORCEMENT',
  DOORSTROOMPUNT: 'DOORSTROOMPUNT',
};

/**
 * The disclosure request for one report to one recipient: the report's fields over the fields the school's
 * settings and the registry supply (the report's own — what staff approved — win), plus the BSN where one is on
 * file, and the pupil's age on the first day of the absence. The dispatcher decides on it before sending and the
 * preview before approval, so what the school sees is what will leave. null when the pupil's birth date gives no
 * age on that day.
 */
export function disclosureRequestFor(
  report: Pick<Report, 'fields' | 'kind'>,
  pupil: Pick<Pupil, 'birthDate'>,
  recipient: { readonly kind: RecipientKind; readonly id: string },
  bsn: string | null,
  today: string,
  supplied: Readonly<Record<string, unknown>> = {},
): DisclosureRequest | null {
  const begin = report.fields['absence.beginDate'];
  const date = typeof begin === 'string' ? begin : today;
  const age = ageInYearsOn(pupil.birthDate, date);
  if (age === null || age < 0) return null;
  const payload: Record<string, unknown> = { ...supplied, ...report.fields };
  if (bsn !== null) payload['pupil.bsn'] = bsn;
  return {
    recipient: { kind: recipient.kind, id: recipient.id },
    purpose: PURPOSE_OF_RECIPIENT[recipient.kind] ?? 'STATUTORY_REPORT',
    reportKind: report.kind,
    pupil: { ageAtDate: age },
    payload,
  };
}
