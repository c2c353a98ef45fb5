export * from './roster-input.js';
export * from './search-pupils.usecase.js';
export * from './feed-roster.usecase.js';
export * from './school-roster.usecase.js';
