import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configVariables } from '../../core/config.js';

const root = join(import.meta.dirname, '..', '..');

interface ComposeFile {
  services: Record<
    string,
    { image?: string; build?: string; environment?: Record<string, string>; volumes?: string[] }
  >;
  volumes: Record<string, unknown>;
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as ComposeFile;

  it('runs Postgres 16 and the app built from the Dockerfile', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'postgres']);
    expect(compose.services.postgres?.image).toBe('postgres:16');
    expect(compose.services.app?.build).toBe('.');
  });

  it('passes the app only variables that core/config knows, including DATABASE_URL', () => {
    const names = Object.keys(compose.services.app?.environment ?? {});
    expect(names.filter((name) => !(configVariables as string[]).includes(name))).toEqual([]);
    expect(names).toContain('DATABASE_URL');
    expect(compose.services.app?.environment?.DATABASE_URL).toBe(
      'postgresql://parley:${POSTGRES_PASSWORD}@postgres:5432/parley',
    );
  });

  it('keeps the data directory on a named volume', () => {
    const dataDir = compose.services.app?.environment?.PARLEY_DATA_DIR;
    expect(compose.services.app?.volumes).toEqual([`parley-data:${dataDir}`]);
    expect(Object.keys(compose.volumes).sort()).toEqual(['parley-data', 'postgres-data']);
  });
});

describe('README.md', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it('documents every configuration variable in its table', () => {
    const documented = [...readme.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...configVariables].sort());
  });

  it('gives the two commands for a fresh machine', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
