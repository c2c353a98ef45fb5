import { formatClockMinutes, formatDate } from '../labels/format.js';
import { FIELD_LABELS, REPORT_KIND_LABELS, label } from '../labels/labels.js';

/** A report field's value in Dutch: dates and klokuren written out, the per-day list readable, the BSN and name never shown. */
export function fieldValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'pupil.bsn') return 'aanwezig (wordt pas bij verzenden gelezen)';
  if (field === 'pupil.name') return 'uit het leerlingregister (wordt pas bij verzenden gelezen)';
  if (field === 'absence.clockMinutes' && typeof value === 'number') return formatClockMinutes(value);
  if (field === 'absence.kind' && typeof value === 'string') return label(REPORT_KIND_LABELS, value);
  if (typeof value === 'boolean') return value ? 'ja' : 'nee';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  if (field === 'absence.perDay' && Array.isArray(value)) {
    return value
      .map((day: { date?: string; lessonHours?: number[]; wholeDay?: boolean }) => {
        const hours = day.lessonHours?.length ? `lesuur ${day.lessonHours.join(', ')}` : 'hele dag';
        return `${formatDate(day.date)}: ${hours}`;
      })
      .join('; ');
  }
  if (Array.isArray(value)) return value.map(plain).join(', ');
  return plain(value);
}

function plain(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

export function fieldName(field: string): string {
  return FIELD_LABELS[field] ?? 'Overig gegeven';
}
