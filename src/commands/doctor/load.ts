// What the doctor's own runs need beyond the command line, in one module that
// cli.ts imports on demand: the other commands never load it. The checks
// load beside it once the selection is known (checks.ts).
export { liveFacts } from '../../adapters/live-facts.js';
export { runDoctorCommand } from './command.js';
