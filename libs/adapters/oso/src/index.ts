export { osoAdapter } from './oso.adapter.js';
