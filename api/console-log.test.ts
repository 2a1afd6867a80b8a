import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { prettyLogStream, registerRequestLog, usePrettyLogs } from './console-log.js';

describe('console logs', () => {
  it('prints readable lines on a terminal and JSON otherwise, unless PARLEY_LOG_FORMAT says', () => {
    expect([usePrettyLogs('auto', true), usePrettyLogs('auto', false)]).toEqual([true, false]);
    expect([usePrettyLogs('pretty', false), usePrettyLogs('json', true)]).toEqual([true, false]);
    const lines: string[] = [];
    prettyLogStream((line) => lines.push(line)).write(
      JSON.stringify({
        level: 50,
        time: Date.UTC(2030, 0, 1, 12, 0, 1),
        pid: 1,
        hostname: 'h',
        reqId: 'r',
        msg: 'request failed',
        method: 'POST',
        status: 500,
      }),
    );
    expect(lines).toEqual(['12:00:01 error request failed method=POST status=500\n']);
  });

  it('logs a request at info only when it failed or was slow, not every answer', async () => {
    const lines: string[] = [];
    const app = Fastify({
      logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } },
      disableRequestLogging: true,
    });
    afterAll(() => app.close());
    registerRequestLog(app);
    app.get('/ok', async () => ({ ok: true }));
    app.get('/bad', async () => {
      throw new Error('boom');
    });
    for (const url of ['/ok', '/ok', '/bad', '/missing']) await app.inject({ method: 'GET', url });
    const requests = lines
      .map((line) => JSON.parse(line) as { msg: string; url?: string; status?: number })
      .filter((entry) => entry.msg === 'request' || entry.msg === 'request failed')
      .map((entry) => [entry.msg, entry.url, entry.status]);
    expect(requests).toEqual([
      ['request failed', '/bad', 500],
      ['request', '/missing', 404],
    ]);
  });
});
