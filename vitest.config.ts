import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
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
