export * from './settings.js';
export * from './load-settings.js';
export * from './configuration-error.js';
export { SETTINGS } from './tokens.js';
/** The process environment, read here and nowhere else. */
export const processEnv = (): Readonly<Record<string, string | undefined>> => process.env;
export * from './pull-sources.js';
export * from './privacy-keys.js';
export * from './leerplicht-routing.js';
export * from './start-up-checks.js';
