export {
  type OverzichtPupil,
  createSomtodayOverzichtAdapter,
  somtodayOverzichtAdapter,
} from './somtoday-overzicht.adapter.js';
