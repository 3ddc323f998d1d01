import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 20000,
    hookTimeout: 20000,
    pool: 'forks',
    // Both cores: the suite is mostly waiting on loopback sockets and child processes.
    maxWorkers: 2,
    setupFiles: ['test/helpers/loopback-guard-setup.ts'],
  },
});
