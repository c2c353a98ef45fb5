/**
 * `#persistence/bench`: what only the bench (apps/cli/src/bench) uses, kept out of the public index: the COPY
 * rows of the bulk writer and the raw COPY baseline it is measured against.
 */
export { type BulkMode, bulkModeOf } from './repositories/canonical-record.writer.js';
export { STAGE_COLUMNS, copyText, stageRow } from './repositories/bulk-rows.js';
export {
  CANONICAL_RECORD_COPY_COLUMNS,
  NARROW_RECORD_COLUMNS,
  keepCanonicalRows,
  narrowCopyRows,
  narrowRow,
  rawCopyRows,
} from './repositories/raw-copy.js';
