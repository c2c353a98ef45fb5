export { csvAdapter } from './csv.adapter.js';
export { CSV_RECORD_TYPES } from './csv-format.js';
