import { defineConfig } from 'vitest/config';

export default defineConfig({
  // React as the bundle ships it (scripts/build.mjs defines NODE_ENV=production): JSX without the
  // development runtime, and React's production build below — its development build made each Ink frame
  // several times dearer, in every test that draws the screen.
  oxc: { jsx: { development: false } },
  test: {
    env: { NODE_ENV: 'production' },
    include: ['test/**/*.test.{ts,tsx}'],
    // Generous: a test that hangs still fails, but a demo run on a loaded 2-core machine does not.
    testTimeout: 60000,
    hookTimeout: 60000,
    pool: 'forks',
    // Both cores: the suite is mostly waiting on loopback sockets and child processes.
    maxWorkers: 2,
    // RSA keys made once per run and shared with every file (test/helpers/key-pool-global.ts).
    globalSetup: ['test/helpers/key-pool-global.ts'],
    setupFiles: ['test/helpers/tmp-dir-setup.ts', 'test/helpers/loopback-guard-setup.ts', 'test/helpers/key-pool-setup.ts'],
  },
});
