/** Injection token for the process's Infrastructure (database, broker, repositories). */
export const INFRASTRUCTURE = Symbol('Infrastructure');
