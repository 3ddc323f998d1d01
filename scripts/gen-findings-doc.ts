// Writes docs/findings.md from the check catalogue (npm run docs).
import { writeFileSync } from 'node:fs';
import { ALL_CHECKS } from '../src/checks/catalogue.js';
import { renderFindingsDoc } from '../src/commands/checks/render.js';

writeFileSync(new URL('../docs/findings.md', import.meta.url), renderFindingsDoc(ALL_CHECKS));
console.log('wrote docs/findings.md');
