export {
  createMagisterMwsAdapter,
  magisterMwsAdapter,
  type MagisterMwsAdapterOptions,
  type MwsField,
} from './magister-mws.adapter.js';
export {
  createMagisterMwsRosterReader,
  DEFAULT_ROSTER_COLUMNS,
  magisterMwsRosterReader,
  MWS_ROSTER_FIELDS,
  type MagisterMwsRosterOptions,
  type MwsRosterField,
} from './magister-mws.roster.js';
