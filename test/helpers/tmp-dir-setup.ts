// Vitest setup, first of all: this file's temporary files, and those of the
// processes it starts, go under the run's own directory (key-pool-global.ts
// makes it and removes it when the run ends), not loose in the system's /tmp.
import { inject } from 'vitest';
import type {} from './key-pool-global.js';

process.env.TMPDIR = inject('runTmpDir');
