import { z } from 'zod';
import type { Tx } from '../../../core/db/database.js';
import { enqueueJob } from '../../../core/jobs/enqueue-job.js';
import { defineJobHandler } from '../../../core/jobs/run-job.js';
import { applyImportChunk } from './apply-import-chunk.js';

/**
 * A CSV import runs as a chain of core/jobs jobs, one per chunk: the job applies its chunk and
 * enqueues the next one in the same transaction, so a chunk's rows, its progress and its
 * completion commit together, exactly once. A worker killed mid-chunk leaves the job's lease
 * to run out, and the next worker continues from the last committed chunk. The name and key
 * are also written in sql/migrations/0028, which queued the imports running at the upgrade.
 */
export const IMPORT_CHUNK_QUEUE = 'contact-import.chunk';

/** As before the jobs: a chunk that fails five times in a row fails its import. */
const MAX_CHUNK_ATTEMPTS = 5;

const importJobSchema = z.object({ import_id: z.string() });

/** Queues the import's next chunk, starting after `processed` rows, in the caller's transaction. */
export async function enqueueImportChunk(tx: Tx, importId: string, processed: number): Promise<void> {
  await enqueueJob(tx, {
    queue: IMPORT_CHUNK_QUEUE,
    // The key names the chunk by where it starts: a retried chunk is the same job.
    key: `${importId}:${processed}`,
    payload: { import_id: importId },
    maxAttempts: MAX_CHUNK_ATTEMPTS,
  });
}

/** The job handler of import chunks: `chunkSize` rows per transaction. */
export function importChunkHandler(options: { chunkSize: number }) {
  return defineJobHandler<{ import_id: string }>({
    queue: IMPORT_CHUNK_QUEUE,
    payloadSchema: importJobSchema,
    async handle(tx, job) {
      const processed = await applyImportChunk(tx, job.payload.import_id, options.chunkSize);
      if (processed !== null) await enqueueImportChunk(tx, job.payload.import_id, processed);
    },
    async onDead(tx, job, error) {
      await tx
        .updateTable('contact_imports')
        .set({ status: 'failed', error, finished_at: new Date() })
        .where('id', '=', job.payload.import_id)
        .where('status', 'in', ['queued', 'running'])
        .execute();
    },
  });
}
