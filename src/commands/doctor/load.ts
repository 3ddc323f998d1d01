// What the doctor's own runs need beyond the command line, in one module that
// cli.ts imports on demand: the other commands never load the catalogue.
export { ALL_CHECKS, codeSpecs } from '../../checks/catalogue.js';
export { liveFacts } from '../../adapters/live-facts.js';
export { runDoctorCommand } from './command.js';
