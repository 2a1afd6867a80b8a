import type { Json } from '@duckdb/node-api';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';

export interface ReadOptions {
  /** Interrupts the query after this long (FINDINGS.md: interrupt() stops it within ms). */
  timeoutMs?: number;
  /** Take a new view unless the current one has applied the log at least up to here. */
  minLogPosition?: bigint;
}

export type Row = Record<string, Json>;

/** What a generation's attach saw: the mirror's log position then, and when it attached. */
export interface ReaderView {
  logPosition: string;
  attachedAt: Date;
}

interface Generation {
  instance: DuckDBInstance;
  createdAt: number;
  writerVersion: number;
  view: ReaderView;
  /** Queries using the generation (counted before connecting, so a pause waits for them). */
  users: number;
  active: Set<DuckDBConnection>;
  retired: boolean;
}

/**
 * Sandboxed readers of the warehouse file, for SQL that is not ours (notebooks, analysts).
 * Each generation is a separate in-memory DuckDB instance that ATTACHes the file READ_ONLY
 * and then disables external access and locks its configuration (FINDINGS.md): it can only
 * read the warehouse. Attaching replays the writer's WAL, so a generation sees every batch
 * committed before it was made; a query reuses a generation for at most `maxAgeMs` after a
 * newer commit, which bounds staleness.
 *
 * A generation must not outlive a checkpoint of the writer: the checkpoint may reuse or
 * truncate file blocks the old view still points to. `pause()` (called by the mirror before
 * CHECKPOINT and file swaps) stops new queries, waits for running ones (interrupting those
 * still running after `drainMs`) and closes every generation.
 */
export class ReaderPool {
  private current: Generation | undefined;
  private readonly generations = new Set<Generation>();
  private creating: Promise<Generation> | undefined;
  private paused: Promise<void> | undefined;

  constructor(
    private readonly path: () => string,
    private readonly writerVersion: () => number,
    private readonly options: { maxAgeMs?: number; drainMs?: number; memoryLimit?: string } = {},
  ) {}

  async query(sql: string, params: DuckDBValue[] = [], options: ReadOptions = {}): Promise<Row[]> {
    return this.withConnection(async (connection) => {
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJson() as Row[];
    }, options);
  }

  /**
   * Lends a connection of a current generation (with `USE warehouse` done) and the view it
   * reads; the connection is interrupted after `timeoutMs` and closed afterwards.
   */
  async withConnection<T>(
    use: (connection: DuckDBConnection, view: ReaderView) => Promise<T>,
    options: ReadOptions = {},
  ): Promise<T> {
    let generation = await this.acquire(options.minLogPosition);
    // A pause between acquiring and connecting retires the generation: take a new one.
    while (generation.retired) generation = await this.acquire(options.minLogPosition);
    generation.users++;
    let connection: DuckDBConnection | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      connection = await generation.instance.connect();
      generation.active.add(connection);
      const running = connection;
      if (options.timeoutMs) timer = setTimeout(() => running.interrupt(), options.timeoutMs);
      await connection.run('USE warehouse');
      return await use(connection, generation.view);
    } finally {
      clearTimeout(timer);
      if (connection) {
        generation.active.delete(connection);
        connection.closeSync();
      }
      generation.users--;
      if (generation.retired && generation.users === 0) this.close(generation);
    }
  }

  /** Blocks new queries and closes every generation; returns the function that resumes. */
  async pause(): Promise<() => void> {
    while (this.paused) await this.paused;
    let resume!: () => void;
    this.paused = new Promise((resolve) => {
      resume = () => {
        this.paused = undefined;
        resolve();
      };
    });
    await this.creating?.catch(() => {});
    this.current = undefined;
    const deadline = Date.now() + (this.options.drainMs ?? 5_000);
    for (const generation of this.generations) generation.retired = true;
    while ([...this.generations].some((g) => g.users > 0)) {
      if (Date.now() > deadline) for (const g of this.generations) for (const c of g.active) c.interrupt();
      await new Promise((r) => setTimeout(r, 10));
    }
    for (const generation of [...this.generations]) this.close(generation);
    return resume;
  }

  async closeAll(): Promise<void> {
    const resume = await this.pause();
    resume();
  }

  private async acquire(minLogPosition?: bigint): Promise<Generation> {
    while (this.paused) await this.paused;
    const now = Date.now();
    const current = this.current;
    const fresh =
      current &&
      (minLogPosition === undefined || BigInt(current.view.logPosition) >= minLogPosition) &&
      (current.writerVersion === this.writerVersion() ||
        now - current.createdAt < (this.options.maxAgeMs ?? 1_000));
    if (current && fresh) return current;
    if (!this.creating) {
      this.creating = this.create().finally(() => {
        this.creating = undefined;
      });
    }
    const created = await this.creating;
    if (this.current !== created) {
      if (current) {
        current.retired = true;
        if (current.users === 0) this.close(current);
      }
      this.current = created;
    }
    // A creation already under way may predate the position asked for: make a newer one.
    if (minLogPosition !== undefined && BigInt(created.view.logPosition) < minLogPosition) {
      return this.acquire(minLogPosition);
    }
    return created;
  }

  private async create(): Promise<Generation> {
    const writerVersion = this.writerVersion();
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: this.options.memoryLimit ?? '1GB',
    });
    let view: ReaderView;
    try {
      const connection = await instance.connect();
      const path = this.path().replaceAll("'", "''");
      await connection.run(`ATTACH '${path}' AS warehouse (READ_ONLY)`);
      await connection.run('SET enable_external_access = false');
      await connection.run('SET lock_configuration = true');
      const cursor = await connection.runAndReadAll(
        'SELECT log_position::VARCHAR FROM warehouse._mirror_cursor LIMIT 1',
      );
      view = { logPosition: String(cursor.getRows()[0]?.[0] ?? '0'), attachedAt: new Date() };
      connection.closeSync();
    } catch (error) {
      instance.closeSync();
      throw error;
    }
    const generation: Generation = {
      instance,
      createdAt: Date.now(),
      writerVersion,
      view,
      users: 0,
      active: new Set(),
      retired: false,
    };
    this.generations.add(generation);
    return generation;
  }

  private close(generation: Generation) {
    if (!this.generations.delete(generation)) return;
    if (this.current === generation) this.current = undefined;
    generation.instance.closeSync();
  }
}
