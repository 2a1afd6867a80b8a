import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bigQueryClient } from '../../../warehouse/bigquery/bigquery-client.js';
import { startFakeBigQuery } from './fake-bigquery.js';

const token = 'fake-token';
const fake = await startFakeBigQuery({ token, loadJobsPerTablePerDay: 2 });
const dir = await mkdtemp(join(tmpdir(), 'fake-bq-test-'));
const client = bigQueryClient({
  projectId: 'p',
  datasetId: 'd',
  location: 'EU',
  apiEndpoint: fake.url,
  accessToken: token,
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

const schema = {
  fields: [
    { name: 'id', type: 'INT64', mode: 'REQUIRED', description: 'id' },
    { name: 'ts', type: 'TIMESTAMP', mode: 'REQUIRED', description: 'time' },
    { name: 'doc', type: 'JSON', mode: 'NULLABLE', description: 'json' },
  ],
};

async function ndjson(name: string, lines: object[]) {
  const file = join(dir, name);
  await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n'));
  return file;
}

describe('fake BigQuery, driven by the real @google-cloud/bigquery client', () => {
  it('creates datasets and tables, loads NDJSON, answers queries in the wire format', async () => {
    await client.dataset('d').create({ location: 'EU' });
    const table = client.dataset('d').table('t');
    await table.create({
      schema,
      timePartitioning: { type: 'DAY', field: 'ts' },
      clustering: { fields: ['id'] },
    });
    const [metadata] = await table.getMetadata();
    expect(metadata.timePartitioning).toEqual({ type: 'DAY', field: 'ts' });
    const file = await ndjson('a.json', [
      { id: 1, ts: '2026-11-20T08:00:00.000001Z', doc: { a: 1 } },
      { id: 2, ts: '2026-11-20T09:00:00Z', doc: null },
    ]);
    const [job] = await table.load(file, { jobId: 'job_a', sourceFormat: 'NEWLINE_DELIMITED_JSON' });
    expect(job.status).toEqual({ state: 'DONE' });
    expect(job.statistics?.load?.outputRows).toBe('2');
    const [rows] = await client.query('SELECT id, ts, doc FROM `p.d.t` ORDER BY id');
    expect(rows.map((r) => ({ id: r.id, at: r.ts.value, doc: r.doc }))).toEqual([
      { id: 1, at: '2026-11-20T08:00:00.000001000Z', doc: '{"a":1}' },
      { id: 2, at: '2026-11-20T09:00:00.000Z', doc: null },
    ]);
  });

  it('answers 409 to a duplicate job id, 401 without the token, and refuses a REQUIRED added field', async () => {
    const table = client.dataset('d').table('t');
    const file = await ndjson('b.json', [{ id: 3, ts: '2026-11-20T10:00:00Z' }]);
    await expect(
      table.load(file, { jobId: 'job_a', sourceFormat: 'NEWLINE_DELIMITED_JSON' }),
    ).rejects.toMatchObject({
      code: 409,
      message: 'Already Exists: Job p:job_a',
    });
    const [job] = await client.job('job_a', { location: 'EU' }).getMetadata();
    expect(job.statistics.load.outputRows).toBe('2');

    const anonymous = await fetch(`${fake.url}/bigquery/v2/projects/p/datasets/d`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      error: {
        code: 401,
        message: 'Request is missing required authentication credential.',
        errors: [
          {
            message: 'Request is missing required authentication credential.',
            domain: 'global',
            reason: 'unauthorized',
          },
        ],
        status: 'UNAUTHENTICATED',
      },
    });
    await expect(
      table.setMetadata({
        schema: { fields: [...schema.fields, { name: 'x', type: 'STRING', mode: 'REQUIRED' }] },
      }),
    ).rejects.toMatchObject({ code: 400 });
    await table.setMetadata({
      schema: { fields: [...schema.fields, { name: 'x', type: 'STRING', mode: 'NULLABLE' }] },
    });
    expect(await fake.rows('SELECT count(x)::INT AS with_x, count(*)::INT AS n FROM `d.t`')).toEqual([
      { with_x: 0, n: 2 },
    ]);
  });

  it('enforces the load job quota per table per day and records a failed load as a DONE job with errorResult', async () => {
    const table = client.dataset('d').table('t');
    const bad = await ndjson('c.json', [{ id: null, ts: '2026-11-20T10:00:00Z' }]);
    await expect(
      table.load(bad, { jobId: 'job_bad', sourceFormat: 'NEWLINE_DELIMITED_JSON' }),
    ).rejects.toBeDefined();
    const [job] = await client.job('job_bad', { location: 'EU' }).getMetadata();
    expect(job.status.state).toBe('DONE');
    expect(job.status.errorResult.reason).toBe('invalid');
    const file = await ndjson('d.json', [{ id: 4, ts: '2026-11-20T10:00:00Z' }]);
    await expect(
      table.load(file, { jobId: 'job_c', sourceFormat: 'NEWLINE_DELIMITED_JSON' }),
    ).rejects.toMatchObject({ code: 403 });
    expect(fake.loadJobsToday('d', 't')).toBe(2);
  });
});
