import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logReadOrder, logReadRule } from './read-rule.js';

const root = new URL('../../', import.meta.url).pathname;

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', '.git'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

describe('the log read rule', () => {
  it.each([
    [
      { xid: '0', id: '0' },
      'events',
      "(events.xid, events.id) > ('0'::xid8, 0::bigint) and events.xid < pg_snapshot_xmin(pg_current_snapshot())",
    ],
    [
      { xid: '812', id: '40' },
      'e',
      "(e.xid, e.id) > ('812'::xid8, 40::bigint) and e.xid < pg_snapshot_xmin(pg_current_snapshot())",
    ],
  ])('after %j on %s', (cursor, table, expected) => {
    expect(logReadRule(cursor, table)).toBe(expected);
  });

  it.each([
    [{ xid: "1'; drop table events; --", id: '1' }, 'events'],
    [{ xid: '1', id: '1 or true' }, 'events'],
    [{ xid: '1', id: '1' }, 'events; select'],
  ])('refuses anything but digits and a table name: %j %s', (cursor, table) => {
    expect(() => logReadRule(cursor, table)).toThrow();
  });

  it('orders by (xid, id)', () => {
    expect(logReadOrder()).toBe('events.xid asc, events.id asc');
    expect(logReadOrder('e', 'desc')).toBe('e.xid desc, e.id desc');
  });

  it('is written out in read-rule.ts only: every reader calls it', async () => {
    const files = [];
    for (const folder of ['core', 'ingest', 'engine', 'warehouse', 'api']) {
      for (const file of await sourceFiles(join(root, folder))) {
        if ((await readFile(file, 'utf8')).includes('pg_snapshot_xmin')) files.push(relative(root, file));
      }
    }
    expect(files).toEqual(['core/log/read-rule.ts']);
  });
});
