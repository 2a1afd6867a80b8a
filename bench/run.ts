// `npm run bench -- NAME [args]`: runs bench/NAME.ts, whose default export takes the args.
import { readdirSync } from 'node:fs';

const [name, ...args] = process.argv.slice(2);
const available = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME [args]\nbenchmarks: ${available.join(', ')}`);
  process.exit(name ? 1 : 0);
}
const module = (await import(`./${name}.ts`)) as { default: (args: string[]) => Promise<void> };
await module.default(args);
process.exit(0);
