import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Requests from the CLI to a running mirror. DuckDB lets one process hold the warehouse file,
 * so while the platform runs, `npm run warehouse -- rebuild | verify | export-parquet` ask
 * the mirror to do the file work: a JSON request file in `<dataDir>/warehouse-control/`,
 * answered by a result file with the same id. Files are written to a temporary name and
 * renamed, so neither side ever reads half a file.
 */
export type ControlRequest =
  | { command: 'swap'; file: string }
  | { command: 'checksums' }
  | { command: 'bigquery-checksums'; exported: Record<string, string> }
  | { command: 'export-parquet'; dir: string };

export type ControlResult = { ok: true; value: unknown } | { ok: false; error: string };

export function controlDir(dataDir: string): string {
  return join(dataDir, 'warehouse-control');
}

export async function submitControlRequest(
  dataDir: string,
  request: ControlRequest,
  options: { timeoutMs?: number } = {},
): Promise<ControlResult> {
  const dir = controlDir(dataDir);
  await mkdir(dir, { recursive: true });
  const id = randomUUID();
  await writeAtomically(join(dir, `${id}.request.json`), JSON.stringify(request));
  const resultFile = join(dir, `${id}.result.json`);
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  while (!existsSync(resultFile)) {
    if (Date.now() > deadline) {
      await rm(join(dir, `${id}.request.json`), { force: true });
      throw new Error(
        `the running mirror did not answer ${request.command} within ${options.timeoutMs ?? 600_000} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const result = JSON.parse(await readFile(resultFile, 'utf8')) as ControlResult;
  await rm(resultFile, { force: true });
  return result;
}

export interface PendingRequest {
  id: string;
  request: ControlRequest;
  answer(result: ControlResult): Promise<void>;
}

export async function takeControlRequests(dataDir: string): Promise<PendingRequest[]> {
  const dir = controlDir(dataDir);
  if (!existsSync(dir)) return [];
  const names = (await readdir(dir)).filter((n) => n.endsWith('.request.json')).sort();
  const pending: PendingRequest[] = [];
  for (const name of names) {
    const id = name.slice(0, -'.request.json'.length);
    const file = join(dir, name);
    let request: ControlRequest;
    try {
      request = JSON.parse(await readFile(file, 'utf8')) as ControlRequest;
    } catch {
      continue;
    }
    await rm(file, { force: true });
    pending.push({
      id,
      request,
      answer: (result) => writeAtomically(join(dir, `${id}.result.json`), JSON.stringify(result)),
    });
  }
  return pending;
}

async function writeAtomically(file: string, content: string) {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}
