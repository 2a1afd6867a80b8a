import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';

/**
 * The figures of one benchmark run as JSON (`--json FILE`): `{bench, machine, metrics, targets,
 * met}`, where each target is `{op: '>=' | '<=' | '==', value}` and `met` says per metric
 * whether it held, so runs can be compared across machines and commits.
 */
export type Target = { op: '>=' | '<=' | '=='; value: number };

export async function writeBenchJson(
  file: string | undefined,
  bench: string,
  metrics: Record<string, number>,
  targets: Record<string, Target>,
): Promise<Record<string, boolean>> {
  const met = Object.fromEntries(
    Object.entries(targets).map(([name, target]) => {
      const value = metrics[name] ?? Number.NaN;
      const ok =
        target.op === '>='
          ? value >= target.value
          : target.op === '<='
            ? value <= target.value
            : value === target.value;
      return [name, ok];
    }),
  );
  if (file) {
    const machine = {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? 'unknown',
      load: loadavg(),
      node: process.version,
    };
    await writeFile(file, `${JSON.stringify({ bench, machine, metrics, targets, met }, null, 2)}\n`);
  }
  return met;
}

export function argument(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
