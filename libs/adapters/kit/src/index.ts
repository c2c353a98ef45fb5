export * from './date-time.js';
export * from './json-fields.js';
export * from './vocabulary.js';
export * from './topicus.js';
export * from './json-stream.js';
export * from './read.js';
export * from './quarantine.js';
export * from './xml.js';
