export * from './leerplicht-routing.types.js';
export * from './resolve-leerplicht-route.js';
