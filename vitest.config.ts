import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**', 'dist/**', 'dashboard/**/node_modules/**'],
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more parallel files only slow each other's log consumers (measured on a 2-core machine).
    maxWorkers: 2,
    pool: 'forks',
  },
});
