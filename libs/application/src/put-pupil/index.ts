export * from './put-pupil.command.js';
export * from './put-pupil.usecase.js';
