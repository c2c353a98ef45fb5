/** The school sectors of contracts §5. */
export const SCHOOL_SECTORS = ['po', 'sbo', 'so', 'vso', 'pro', 'vo', 'mbo'] as const;
export type SchoolSector = (typeof SCHOOL_SECTORS)[number];
