// The one bounded wait for a condition in tests: polls `cond` every 10 ms and
// fails once `ms` have passed without it holding (never a fixed sleep).
import { vi } from 'vitest';

export function until(cond: () => boolean, ms = 5000): Promise<void> {
  return vi.waitFor(
    () => {
      if (!cond()) throw new Error(`condition not met within ${ms} ms`);
    },
    { timeout: ms, interval: 10 },
  );
}
