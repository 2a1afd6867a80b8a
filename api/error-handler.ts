import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../core/errors.js';

/**
 * One JSON error shape for every route: `{ error: { code, message, fields } }`, with the
 * HTTP status of the AppError code. Fastify's own errors (bad JSON, body too large) are
 * mapped to the same shape.
 */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      return reply.code(error.httpStatus).send({ error: error.toJSON() });
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .code(413)
        .send({ error: { code: 'payload_too_large', message: error.message, fields: [] } });
    }
    if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return reply
        .code(fastifyError.statusCode)
        .send({ error: { code: 'bad_request', message: error.message, fields: [] } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error', fields: [] } });
  });
  app.setNotFoundHandler((request, reply) => {
    return reply.code(404).send({
      error: { code: 'not_found', message: `no route ${request.method} ${request.url}`, fields: [] },
    });
  });
}
