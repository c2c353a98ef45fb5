/** The canonical attendance categories (shared/domain/categories.md §1). */
export const CATEGORIES = [
  'PRESENT',
  'SICK',
  'MEDICAL_VISIT',
  'LEAVE_IMPORTANT_CIRCUMSTANCES',
  'LEAVE_RELIGIOUS',
  'LEAVE_HOLIDAY',
  'LEAVE_UNDER_SIX',
  'LEAVE_HEAD_GRANTED',
  'SCHOOL_SENT_OUT',
  'SCHOOL_SUSPENSION',
  'SCHOOL_EXPULSION',
  'LATE_AUTHORISED',
  'UNAUTHORISED',
  'LATE_UNAUTHORISED',
  'OTHER',
  'UNEXPLAINED',
  'TIMETABLE_ADJUSTMENT',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const LEGAL_CLASSES = ['present', 'authorised', 'unauthorised', 'pending', 'not_absence'] as const;
export type LegalClass = (typeof LEGAL_CLASSES)[number];

interface CategoryInfo {
  readonly labelNl: string;
  /** null: set by the school's mapping (OTHER). */
  readonly legalClass: LegalClass | null;
}

export const CATEGORY_INFO: Readonly<Record<Category, CategoryInfo>> = {
  PRESENT: { labelNl: 'Aanwezig', legalClass: 'present' },
  SICK: { labelNl: 'Ziek', legalClass: 'authorised' },
  MEDICAL_VISIT: { labelNl: 'Medisch bezoek', legalClass: 'authorised' },
  LEAVE_IMPORTANT_CIRCUMSTANCES: {
    labelNl: 'Toegekend verlof – gewichtige omstandigheden',
    legalClass: 'authorised',
  },
  LEAVE_RELIGIOUS: { labelNl: 'Toegekend verlof – godsdienst/levensovertuiging', legalClass: 'authorised' },
  LEAVE_HOLIDAY: { labelNl: 'Toegekend verlof – vakantieverlof', legalClass: 'authorised' },
  LEAVE_UNDER_SIX: { labelNl: 'Toegekend verlof – kind jonger dan zes', legalClass: 'authorised' },
  LEAVE_HEAD_GRANTED: { labelNl: 'Door directeur toegekend verlof', legalClass: 'authorised' },
  SCHOOL_SENT_OUT: { labelNl: 'Door school geïnitieerd – eruit gestuurd', legalClass: 'authorised' },
  SCHOOL_SUSPENSION: { labelNl: 'Door school geïnitieerd – schorsing', legalClass: 'authorised' },
  SCHOOL_EXPULSION: { labelNl: 'Door school geïnitieerd – verwijdering', legalClass: 'authorised' },
  LATE_AUTHORISED: { labelNl: 'Geoorloofd/geaccepteerd te laat', legalClass: 'authorised' },
  UNAUTHORISED: { labelNl: 'Ongeoorloofd afwezig', legalClass: 'unauthorised' },
  LATE_UNAUTHORISED: { labelNl: 'Ongeoorloofd te laat', legalClass: 'unauthorised' },
  OTHER: { labelNl: 'Overig', legalClass: null },
  UNEXPLAINED: { labelNl: 'Afwezig, reden onbekend', legalClass: 'pending' },
  TIMETABLE_ADJUSTMENT: { labelNl: 'Roosteraanpassing', legalClass: 'not_absence' },
};

/** Whether a legal class is consistent with a category (OTHER may be authorised or unauthorised). */
export function isConsistentLegalClass(category: Category, legalClass: LegalClass): boolean {
  const fixed = CATEGORY_INFO[category].legalClass;
  if (fixed === null) return legalClass === 'authorised' || legalClass === 'unauthorised';
  return fixed === legalClass;
}
