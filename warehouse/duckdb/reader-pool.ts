import { randomBytes } from 'node:crypto';
import type { Json } from '@duckdb/node-api';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { type Catalogue, catalogueStatements } from '../sandbox/masked-catalogue.js';
import { warehouseTables } from '../tables/warehouse-tables.js';
import { QuerySlots } from './query-slots.js';

export interface ReadOptions {
  /** Interrupts the query after this long (DuckDB's interrupt() stops a running scan within milliseconds). */
  timeoutMs?: number;
  /** Take a new view unless the current one has applied the log at least up to here. */
  minLogPosition?: bigint;
}

export interface ReaderPoolOptions {
  maxAgeMs?: number;
  drainMs?: number;
  /** DuckDB memory limit of each reader instance (default 1GB). */
  memoryLimit?: string;
  /** Where a reader may spill (default: DuckDB's `.tmp` beside the process) and how much (default 1GB). */
  tempDirectory?: string;
  maxTempDirectorySize?: string;
  /** User queries running at once (default 2); more wait up to `queueMs` (default 2 s), then get a busy error. */
  maxConcurrent?: number;
  queueMs?: number;
  /** Custom field keys whose values are not personal (read when a view is taken). */
  safeFieldKeys?: () => Promise<string[]>;
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
 * Sandboxed readers of the warehouse file, for SQL that is not ours (segments, notebooks).
 * Each generation is a separate in-memory DuckDB instance that ATTACHes the file READ_ONLY,
 * builds the full and the masked catalogue over it (masked-catalogue.ts), and then disables
 * external access and locks its configuration: it can only read the warehouse. It runs on one
 * thread with a memory and spill limit, and at most `maxConcurrent` queries run at once, so
 * user SQL leaves the other core to webhooks and the sender. Attaching replays the writer's WAL, so a generation sees every batch
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
  /** Key of the masked catalogue's hashes: random per process, so hashes cannot be precomputed. */
  private readonly hashKey = randomBytes(32).toString('hex');
  private readonly slots: QuerySlots;

  constructor(
    private readonly path: () => string,
    private readonly writerVersion: () => number,
    private readonly options: ReaderPoolOptions = {},
  ) {
    this.slots = new QuerySlots(options.maxConcurrent ?? 2, options.queueMs ?? 2_000);
  }

  /**
   * Lends a connection of a current generation, with the chosen catalogue as its only schema,
   * and the view it reads; the connection is interrupted after `timeoutMs` and closed afterwards.
   * Refuses with `rate_limited` when the pool stays full for `queueMs`.
   */
  async withConnection<T>(
    catalogue: Catalogue,
    use: (connection: DuckDBConnection, view: ReaderView) => Promise<T>,
    options: ReadOptions = {},
  ): Promise<T> {
    await this.slots.take();
    try {
      return await this.connected(catalogue, use, options);
    } finally {
      this.slots.release();
    }
  }

  private async connected<T>(
    catalogue: Catalogue,
    use: (connection: DuckDBConnection, view: ReaderView) => Promise<T>,
    options: ReadOptions,
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
      await connection.run(`USE memory.${catalogue}`);
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
    const safeFieldKeys = (await this.options.safeFieldKeys?.()) ?? [];
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: this.options.memoryLimit ?? '1GB',
      threads: '1',
      max_temp_directory_size: this.options.maxTempDirectorySize ?? '1GB',
      ...(this.options.tempDirectory ? { temp_directory: this.options.tempDirectory } : {}),
    });
    let view: ReaderView;
    try {
      const connection = await instance.connect();
      const path = this.path().replaceAll("'", "''");
      await connection.run(`ATTACH '${path}' AS warehouse (READ_ONLY)`);
      const statements = catalogueStatements(warehouseTables, { hashKey: this.hashKey, safeFieldKeys });
      // One round trip: a view is taken as often as every commit when readers want fresh data.
      await connection.run(statements.join(';\n'));
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
