/**
 * The error codes the put-pupil module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const PUT_PUPIL_ERRORS = {
  // Errors the module throws
  PUPIL_INVALID: 'PUPIL_INVALID',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  LOCAL_ID_INVALID: 'LOCAL_ID_INVALID',
  BRIN_INVALID: 'BRIN_INVALID',
  DATE_INVALID: 'DATE_INVALID',
  LEFT_BEFORE_ENROLLED: 'LEFT_BEFORE_ENROLLED',
  SECTOR_UNKNOWN: 'SECTOR_UNKNOWN',
  MUNICIPALITY_CODE_INVALID: 'MUNICIPALITY_CODE_INVALID',
  BSN_FORMAT: 'BSN_FORMAT',
  BSN_ELFPROEF: 'BSN_ELFPROEF',
  LEERJAAR_INVALID: 'LEERJAAR_INVALID',
  NIVEAU_INVALID: 'NIVEAU_INVALID',
  LEERWEG_UNKNOWN: 'LEERWEG_UNKNOWN',
} as const;
