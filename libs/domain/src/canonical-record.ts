import type { Category, LegalClass } from './categories.js';

export const SOURCE_SYSTEMS = [
  'magister',
  'magister-mws',
  'somtoday',
  'somtoday-overzicht',
  'eduarte',
  'zermelo',
  'oso',
  'csv',
] as const;
export type SourceSystemId = (typeof SOURCE_SYSTEMS)[number];

export const REGISTERED_VIA = ['REPORT', 'TEACHER_CHECK', 'CALL_BACK', 'AGGREGATE'] as const;
export type RegisteredVia = (typeof REGISTERED_VIA)[number];

/** The canonical attendance record of contracts §2. Never holds a BSN. */
export interface CanonicalRecord {
  readonly recordId: string;
  readonly sourceSystem: SourceSystemId;
  readonly sourceRecordType: string;
  readonly sourceId: string;
  readonly pupil: { readonly localId: string; readonly leerlingnummer?: string };
  readonly school: { readonly brin?: string; readonly vestiging?: string } | null;
  /** School-local date (Europe/Amsterdam), YYYY-MM-DD. */
  readonly date: string;
  readonly start: string | null;
  readonly end: string | null;
  readonly wholeDay: boolean;
  readonly lessonHourFrom: number | null;
  readonly lessonHourTo: number | null;
  readonly category: Category;
  readonly legalClass: LegalClass;
  readonly registeredVia: RegisteredVia;
  readonly missedMinutes: number | null;
  readonly missedLessons: number | null;
  readonly reasonCode: string | null;
  readonly explainedBy: string | null;
  readonly mapping: { readonly source: 'school' | 'fallback'; readonly version?: string };
}
