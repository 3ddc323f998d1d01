import { defineConfig } from 'vitest/config';

const ALL = ['test/**/*.test.{ts,tsx}'];
// Files that need a process of their own: what they test is read once per
// process, before they can set it (oci-common reads OCI_REGION_METADATA at its
// first lookup of a region it does not know).
const OWN_PROCESS = ['test/adapters/service-url.test.ts'];

export default defineConfig({
  // React as the bundle ships it (scripts/build.mjs defines NODE_ENV=production): JSX without the
  // development runtime, and React's production build below — its development build made each Ink frame
  // several times dearer, in every test that draws the screen.
  oxc: { jsx: { development: false } },
  test: {
    env: { NODE_ENV: 'production' },
    // Generous: a test that hangs still fails, but a demo run on a loaded 2-core machine does not.
    testTimeout: 60000,
    hookTimeout: 60000,
    pool: 'forks',
    // Both cores: the suite is mostly waiting on loopback sockets and child processes.
    maxWorkers: 2,
    // RSA keys made once per run and shared with every file (test/helpers/key-pool-global.ts).
    globalSetup: ['test/helpers/key-pool-global.ts'],
    setupFiles: ['test/helpers/tmp-dir-setup.ts', 'test/helpers/loopback-guard-setup.ts', 'test/helpers/key-pool-setup.ts', 'test/helpers/file-state-setup.ts'],
    projects: [
      // Each worker runs its files one after another in one process and one
      // module graph: a fresh process and fresh imports per file were about a
      // fifth of the suite's CPU time. What a file changes in the process —
      // environment, working directory, the key pool's memos — is put back
      // between files (file-state-setup.ts, key-pool.ts pooledKeyMemo).
      { extends: true, test: { name: 'shared', include: ALL, exclude: OWN_PROCESS, isolate: false } },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS, isolate: true } },
    ],
  },
});
