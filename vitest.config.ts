import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Long property runs, the packed install and benchmarks have their own npm scripts; `npm test` stays fast.
    exclude: ['test/**/*.long.test.ts', 'test/**/*.install.test.ts', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start real loopback servers; two workers match this 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
