/** Injection token for the validated Settings object. */
export const SETTINGS = Symbol('Settings');
