export { zermeloAdapter } from './zermelo.adapter.js';
