export { createMagisterAdapter, magisterAdapter, type MagisterAdapterOptions } from './magister.adapter.js';
