export { eduarteAdapter } from './eduarte.adapter.js';
