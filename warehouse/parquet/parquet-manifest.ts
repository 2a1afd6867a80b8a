import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LakeErasure } from './erase-from-lake.js';

/**
 * `<dir>/_manifest.json`: how far the Parquet lake has been exported. Positions are warehouse
 * log positions (identical after every rebuild), so an export run copies the rows whose
 * position column lies in (exported_position, mirror position]. `pending` is written before
 * files are moved in and cleared after: a run that crashed in between is undone first.
 */
export interface ParquetManifest {
  format: 1;
  warehouse_version: string | null;
  exported_position: string;
  pending?: { from: string; to: string };
  runs: {
    from: string;
    to: string;
    exported_at: string;
    rows: Record<string, number>;
    /** People erased in this run's range, and how many earlier files were rewritten for each. */
    erasures?: LakeErasure[];
    /** Merges in this run's range, and how many earlier files were rewritten for them. */
    merges?: number;
    merged_files?: number;
  }[];
}

export const manifestName = '_manifest.json';

export async function readManifest(dir: string): Promise<ParquetManifest> {
  const file = join(dir, manifestName);
  if (!existsSync(file)) return { format: 1, warehouse_version: null, exported_position: '0', runs: [] };
  const parsed = JSON.parse(await readFile(file, 'utf8')) as ParquetManifest;
  if (parsed.format !== 1 || !/^\d+$/.test(parsed.exported_position)) {
    throw new Error(`${file} is not a Parley Parquet manifest`);
  }
  return parsed;
}

export async function writeManifest(dir: string, manifest: ParquetManifest): Promise<void> {
  const file = join(dir, manifestName);
  await writeFile(`${file}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/** File name of a part written by the run covering positions [from, to]. */
export function partPrefix(from: string | bigint, to: string | bigint): string {
  return `part-${from}-${to}-`;
}
