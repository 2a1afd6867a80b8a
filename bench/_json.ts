// The JSON a benchmark writes with --json FILE: {bench, machine, metrics, targets, met}, so
// figures can be compared across runs and machines.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';

export interface BenchTarget {
  metric: string;
  /** `min`: the metric must be at least `value`; `max`: at most; `equals`: exactly. */
  kind: 'min' | 'max' | 'equals';
  value: number;
}

export async function writeBenchJson(
  file: string,
  bench: string,
  metrics: Record<string, number>,
  targets: BenchTarget[],
): Promise<boolean> {
  const met = targets.every((t) => {
    const value = metrics[t.metric];
    if (value === undefined) return false;
    return t.kind === 'min' ? value >= t.value : t.kind === 'max' ? value <= t.value : value === t.value;
  });
  const machine = {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    load_1m: Number(loadavg()[0]!.toFixed(2)),
  };
  await writeFile(file, `${JSON.stringify({ bench, machine, metrics, targets, met }, null, 2)}\n`);
  return met;
}

/** The value after `--name` in args, if any. */
export function argValue(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}
