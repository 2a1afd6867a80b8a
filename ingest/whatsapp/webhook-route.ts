import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../core/db/database.js';
import { AppError } from '../../core/errors.js';
import type { Channel } from '../channels.js';
import { parseWebhook } from './parse-webhook.js';
import { verifySignature } from './verify-signature.js';
import { createWebhookBatcher } from './webhook-batcher.js';

/**
 * The webhook of one channel (Meta's Cloud API, or the simulator speaking the same
 * protocol) at `channel.webhookPath`:
 * - GET answers Meta's subscription check with `hub.challenge` when `hub.verify_token`
 *   matches (https://developers.facebook.com/docs/graph-api/webhooks/getting-started).
 * - POST checks the signature over the raw bytes, parses, validates and stores everything
 *   in one transaction (shared with webhooks arriving at the same time: webhook-batcher.ts),
 *   and answers 200 only after the commit: Meta redelivers anything not acknowledged, and
 *   the idempotency keys make a redelivery store nothing new.
 * Registered in its own scope, so the raw-body JSON parser applies to these routes only.
 */
export async function registerWhatsAppWebhook(app: FastifyInstance, deps: { db: Db; channel: Channel }) {
  const { db, channel } = deps;
  if (!channel.appSecret)
    throw new Error(`channel ${channel.name} has no app secret: its webhook cannot be verified`);

  const batcher = createWebhookBatcher({ db, channel: channel.name });

  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, body);
    });

    scope.get(channel.webhookPath, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const challenge = query['hub.challenge'];
      if (
        query['hub.mode'] !== 'subscribe' ||
        typeof query['hub.verify_token'] !== 'string' ||
        !tokensEqual(query['hub.verify_token'], channel.verifyToken) ||
        typeof challenge !== 'string'
      ) {
        throw new AppError('forbidden', 'webhook verification failed', [
          { field: 'hub.verify_token', reason: 'hub.mode must be subscribe and the token must match' },
        ]);
      }
      return reply.code(200).type('text/plain').send(challenge);
    });

    scope.post(channel.webhookPath, async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new AppError('bad_request', 'webhook body must be application/json', [
          { field: 'content-type', reason: 'must be application/json' },
        ]);
      }
      const rawBody = request.body;
      const check = verifySignature(rawBody, request.headers['x-hub-signature-256'], channel.appSecret);
      if (!check.ok) {
        throw new AppError('unauthorized', 'webhook signature is not valid', [
          { field: 'x-hub-signature-256', reason: check.reason },
        ]);
      }
      const text = rawBody.toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        throw new AppError('bad_request', 'webhook body is not valid JSON', [
          { field: 'body', reason: (error as Error).message },
        ]);
      }
      const stored = await batcher.store({ parsed: parseWebhook(body), rawBody: text });
      return reply.code(200).send(stored);
    });
  });
}

function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return b.length > 0 && a.length === b.length && timingSafeEqual(a, b);
}
