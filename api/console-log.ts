import type { FastifyInstance } from 'fastify';

const levels: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/**
 * Readable console lines for people at a terminal ("12:00:01 warn request failed
 * method=POST url=/v1/messages status=500 ms=12"); JSON lines stay the default for log
 * collectors. PARLEY_LOG_FORMAT picks one, `auto` asks whether stdout is a terminal.
 */
export function prettyLogStream(write: (line: string) => void = (line) => process.stdout.write(line)) {
  return {
    write(json: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(json) as Record<string, unknown>;
      } catch {
        write(json);
        return;
      }
      const { level, time, msg, pid: _pid, hostname: _host, reqId: _reqId, ...rest } = entry;
      const clock = new Date(typeof time === 'number' ? time : Date.now()).toISOString().slice(11, 19);
      const fields = Object.entries(rest)
        .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join(' ');
      write(
        `${clock} ${levels[Number(level)] ?? String(level)} ${String(msg ?? '')}${fields ? ` ${fields}` : ''}\n`,
      );
    },
  };
}

export function usePrettyLogs(format: 'auto' | 'pretty' | 'json', isTty = process.stdout.isTTY === true) {
  return format === 'pretty' || (format === 'auto' && isTty);
}

/**
 * One line per request only when it matters: server errors at error, client errors and slow
 * answers (over 1 s) at info, everything else at debug. Fastify's own two lines per request
 * buried the setup link under hundreds of lines in a short session.
 */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const line = {
      method: request.method,
      url: request.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (reply.statusCode >= 500) request.log.error(line, 'request failed');
    else if (reply.statusCode >= 400 || reply.elapsedTime > 1000) request.log.info(line, 'request');
    else request.log.debug(line, 'request');
  });
}
