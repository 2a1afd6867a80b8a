import type pg from 'pg';

/**
 * The custom field keys whose values are not personal (every type but text), for the masked
 * catalogue. Read from Postgres at most once a second: sandboxed views are taken as often as
 * every commit, and a field's type never changes (only new fields appear, and until then their
 * values are masked, which errs on the safe side).
 */
export class SafeFieldKeys {
  private cached: { at: number; keys: Promise<string[]> } | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly maxAgeMs = 1_000,
  ) {}

  get(): Promise<string[]> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.maxAgeMs) {
      const keys = this.pool
        .query<{ key: string }>("select key from custom_fields where type <> 'text' order by key")
        .then((result) => result.rows.map((r) => r.key));
      // A failed read is not kept: the next view asks again.
      keys.catch(() => {
        if (this.cached?.keys === keys) this.cached = undefined;
      });
      this.cached = { at: now, keys };
    }
    return this.cached.keys;
  }
}
