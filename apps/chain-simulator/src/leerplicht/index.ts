export * from './municipality-simulator.js';
export { loadPublishedReportSchema } from './report-schema.js';
