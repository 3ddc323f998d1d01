// What the doctor's own runs need beyond the command line, in one module that
// cli.ts imports on demand: the other commands never load it. The checks
// themselves load once the selection is known (checks.ts).
export { CHECK_INDEX } from '../../checks/check-index.js';
export { liveFacts } from '../../adapters/live-facts.js';
export { runDoctorCommand } from './command.js';
export { catalogueSpecs, checksToRun } from './checks.js';
