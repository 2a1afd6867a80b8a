import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// npm's own range matcher (a dependency of our tools), so the check reads ranges as npm does.
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
};
const root = join(import.meta.dirname, '..', '..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe('package engines', () => {
  it('every installed package runs on each Node the README names (20.19, 22 and 24): no EBADENGINE', () => {
    const nodes = ['20.19.0', '22.12.0', '24.0.0'];
    const refused = Object.entries(lock.packages).flatMap(([path, pkg]) => {
      const range = pkg.engines && !Array.isArray(pkg.engines) ? pkg.engines.node : undefined;
      if (!path || !range) return [];
      const bad = nodes.filter((node) => !semver.satisfies(node, range));
      return bad.length > 0
        ? [`${path.replace(/^.*node_modules\//, '')}@${pkg.version} wants node ${range}`]
        : [];
    });
    expect(refused).toEqual([]);
  });
});
