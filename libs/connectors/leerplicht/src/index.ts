/** Leerplicht connector: see README.md. */
export * from './report.js';
export * from './jose-profile.js';
export * from './leerplicht.connector.js';
export * from './leerplicht-error-codes.js';
