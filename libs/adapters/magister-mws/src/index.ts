export {
  createMagisterMwsAdapter,
  magisterMwsAdapter,
  type MagisterMwsAdapterOptions,
  type MwsField,
} from './magister-mws.adapter.js';
