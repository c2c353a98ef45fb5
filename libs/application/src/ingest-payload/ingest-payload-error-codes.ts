/**
 * The error codes the ingest-payload module answers with, in one catalogue. The strings are public (ADR 0004,
 * shared/design/contracts.md): clients branch on them, so they never change; new codes are added here.
 */
export const INGEST_PAYLOAD_ERRORS = {
  // Errors the module throws
  COVERAGE_INVALID: 'COVERAGE_INVALID',
  SYSTEM_OUT_OF_SCOPE: 'SYSTEM_OUT_OF_SCOPE',
  PAYLOAD_EMPTY: 'PAYLOAD_EMPTY',
  STORED_MAPPING_INVALID: 'STORED_MAPPING_INVALID',
  SCHOOL_OUT_OF_SCOPE: 'SCHOOL_OUT_OF_SCOPE',
  SCHOOL_REQUIRED: 'SCHOOL_REQUIRED',
  UNKNOWN_SYSTEM: 'UNKNOWN_SYSTEM',
  // Codes inside an answer: the issues of refused input, the reasons an outcome records
  MISSING_FIELD: 'MISSING_FIELD',
  INVALID_DATE: 'INVALID_DATE',
  TO_BEFORE_FROM: 'TO_BEFORE_FROM',
  COVERAGE_TOO_LONG: 'COVERAGE_TOO_LONG',
} as const;
