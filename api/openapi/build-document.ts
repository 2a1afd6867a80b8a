import { z } from 'zod';
import type { RestRoute } from '../rest/define-route.js';
import { REST_BODY_LIMIT } from '../rest/register-rest-routes.js';
import { errorSchema } from '../rest/schemas/common.schema.js';
import { type JsonSchema, toJsonSchema } from './to-json-schema.js';
import { webhookEventDocs } from './webhook-events.js';

export type OpenApiDocument = Record<string, unknown> & {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> } & Record<string, unknown>;
};
export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: {
    name: string;
    in: 'path' | 'query';
    required: boolean;
    description?: string;
    schema: JsonSchema;
  }[];
  requestBody?: { required: boolean; description?: string; content: Record<string, MediaType> };
  responses: Record<string, { description: string; content?: Record<string, MediaType> } | { $ref: string }>;
  'x-permission': string;
}
export interface MediaType {
  schema: JsonSchema;
  example?: string;
}

/**
 * A route whose request or response body is a file (CSV, NDJSON) rather than JSON. Such routes
 * stream, so Fastify registers them by hand (api/rest/people-file-routes.ts,
 * data-export-downloads.ts); each exports this description next to its handler.
 */
export interface FileRouteDoc extends RouteDescription {
  method: 'GET' | 'POST';
  /** A file body of this media type, with an example. */
  requestBody?: { contentType: string; description: string; example: string };
  /** A JSON answer (schema) or a file in one of these media types. */
  success: { status: 200 | 201; description: string } & (
    | { schema: z.ZodType }
    | { contentTypes: readonly string[] }
  );
}

/** What a JSON route and a file route describe alike. */
type RouteDescription = Pick<
  RestRoute,
  'path' | 'operationId' | 'summary' | 'description' | 'tag' | 'permission' | 'params' | 'query' | 'errors'
>;

const errorResponses: Record<number, string> = {
  400: 'Invalid request: bad JSON, an invalid or unknown field (see error.fields)',
  401: 'No API token, or an unknown, revoked or expired one',
  403: "The token's scopes do not include the permission this route needs",
  404: 'Not found',
  409: 'Conflicts with an existing resource',
  413: `The body is larger than ${REST_BODY_LIMIT / 1024} KiB`,
  422: 'Valid, but refused: e.g. window_closed (the 24-hour window is closed; send a template) or contact_blocked (the person is blocked or erased)',
  503: 'Unavailable',
};

/**
 * The OpenAPI 3.1 document of the REST API, generated from the route table and its zod
 * schemas (https://spec.openapis.org/oas/v3.1.0). Served at GET /openapi.json.
 */
export function buildOpenApiDocument(
  routes: readonly RestRoute[],
  options: { serverUrl?: string; fileRoutes?: readonly FileRouteDoc[] } = {},
): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {};
  const paths: OpenApiDocument['paths'] = {};
  // errorSchema has the id Error: converting it registers the component and returns its $ref.
  const errorRef = toJsonSchema(errorSchema, 'output', schemas);

  const add = (
    route: RouteDescription & { method: string },
    requestBody: OpenApiOperation['requestBody'],
    success: { status: number; description: string; content?: Record<string, MediaType> },
  ) => {
    const operation: OpenApiOperation = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description && { description: route.description }),
      tags: [route.tag],
      responses: {},
      'x-permission': route.permission,
    };
    const parameters = [
      ...parametersOf(route.params, 'path', schemas),
      ...parametersOf(route.query, 'query', schemas),
    ];
    if (parameters.length > 0) operation.parameters = parameters;
    if (requestBody) operation.requestBody = requestBody;
    const { status, ...response } = success;
    operation.responses[String(status)] = response;
    for (const error of [400, 401, 403, ...(route.errors ?? [])].sort()) {
      operation.responses[String(error)] = { $ref: `#/components/responses/E${error}` };
    }
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation;
  };
  const json = (schema: z.ZodType, io: 'input' | 'output') => ({
    'application/json': { schema: toJsonSchema(schema, io, schemas) },
  });

  for (const route of routes) {
    add(route, route.body && { required: true, content: json(route.body, 'input') }, {
      status: route.success.status,
      description: route.success.description,
      ...(route.success.schema && { content: json(route.success.schema, 'output') }),
    });
  }
  for (const route of options.fileRoutes ?? []) {
    const body = route.requestBody;
    const success = route.success;
    add(
      route,
      body && {
        required: true,
        description: body.description,
        content: { [body.contentType]: { schema: { type: 'string' }, example: body.example } },
      },
      {
        status: success.status,
        description: success.description,
        content:
          'schema' in success
            ? json(success.schema, 'output')
            : Object.fromEntries(success.contentTypes.map((type) => [type, { schema: { type: 'string' } }])),
      },
    );
  }

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Parley REST API',
      version: '1.0.0',
      description:
        'The API for integrators: send messages and follow their status, read and write contacts, list channels, and manage webhooks. Authenticate with an API token (Settings → API tokens): `Authorization: Bearer prl_...`. Each route needs one permission, which the token must have as a scope. Phone numbers and names are masked unless the token has the pii.read scope. Errors are always `{"error": {"code", "message", "fields": [{"field", "reason"}]}}`.',
    },
    servers: [{ url: options.serverUrl ?? '/' }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set([...routes, ...(options.fileRoutes ?? [])].map((r) => r.tag))].map((name) => ({
      name,
    })),
    paths,
    webhooks: webhookEventDocs(schemas),
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token, `prl_` followed by 43 characters',
        },
      },
      responses: Object.fromEntries(
        Object.entries(errorResponses).map(([status, description]) => [
          `E${status}`,
          { description, content: { 'application/json': { schema: errorRef } } },
        ]),
      ),
      schemas,
    },
  };
}

function parametersOf(
  schema: z.ZodType | undefined,
  where: 'path' | 'query',
  schemas: Record<string, JsonSchema>,
) {
  if (!schema) return [];
  if (!(schema instanceof z.ZodObject)) throw new Error(`${where} parameters must be a zod object`);
  const json = toJsonSchema(schema, 'input', schemas) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as JsonSchema & { description?: string };
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      ...(typeof description === 'string' && { description }),
      schema: rest,
    };
  });
}
