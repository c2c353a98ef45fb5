/** Leerplicht connector: see README.md. */
export const LEERPLICHT_CONNECTOR = 'leerplicht';
