import { defineConfig } from 'vitest/config';

// `npm run test:install`: packs the project and installs the tarball from the npm registry (about 40 s, and it
// needs the network), so it is kept out of `npm test`.
export default defineConfig({
  test: {
    include: ['test/**/*.install.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: 'forks',
  },
});
