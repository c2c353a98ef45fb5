export { somtodayAdapter } from './somtoday.adapter.js';
export { somtodayRosterReader } from './somtoday.roster.js';
