export { somtodayAdapter } from './somtoday.adapter.js';
