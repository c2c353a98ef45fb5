export {
  buildGetLeerlingenRequest,
  parseParnassysRoster,
  parnassysRosterReader,
  type GetLeerlingenRequest,
  type ParnassysQuarantined,
  type ParnassysRoster,
  type RosterContext,
  type RosterPupil,
} from './parnassys.roster.js';
