import { randomInt } from 'node:crypto';
import { errorEnvelope, type GraphError, graphErrors } from './graph-errors.js';

/**
 * Message templates of the fake's WhatsApp Business Account, speaking the Business
 * Management API's wire format:
 * https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates
 * Create `POST /{v}/{waba-id}/message_templates` answers `{id, status, category}`; list
 * `GET` pages with `limit` and an `after` cursor; edit `POST /{v}/{template-id}` answers
 * `{success: true}` and sends the template back to review; delete
 * `DELETE /{v}/{waba-id}/message_templates?name=&hsm_id=`. Review itself is the test's (or
 * the simulator's) call: setStatus posts Meta's `message_template_status_update` webhook.
 */
export interface FakeTemplate {
  id: string;
  name: string;
  language: string;
  category: string;
  parameter_format: string;
  components: unknown[];
  status: string;
}

export interface FakeTemplateReply {
  status: number;
  body: unknown;
}

const duplicate = (name: string, language: string): GraphError => ({
  kind: 'graph',
  httpStatus: 400,
  code: 100,
  subcode: 2388024,
  message: 'Invalid parameter',
  details: `Message template "${name}" already exists in ${language}. Choose another name or language.`,
});

const notFound = (what: string): GraphError => ({
  kind: 'graph',
  httpStatus: 404,
  code: 100,
  subcode: 33,
  type: 'GraphMethodException',
  message: `Unsupported request. Object with ID '${what}' does not exist.`,
});

export class FakeTemplates {
  readonly byId = new Map<string, FakeTemplate>();

  constructor(readonly wabaId: string) {}

  /** Answers a template request, or undefined when the path is not a template endpoint. */
  handle(method: string, path: string, query: URLSearchParams, body: unknown): FakeTemplateReply | undefined {
    const collection = /^\/v\d+\.\d+\/(\d+)\/message_templates$/.exec(path);
    if (collection) {
      if (collection[1] !== this.wabaId) return fail(graphErrors.unsupportedRequest(collection[1]!));
      if (method === 'POST') return this.create(body);
      if (method === 'GET') return this.list(query);
      if (method === 'DELETE') return this.remove(query);
      return undefined;
    }
    const single = /^\/v\d+\.\d+\/(\d+)$/.exec(path);
    if (single && this.byId.has(single[1]!)) {
      if (method === 'POST') return this.edit(single[1]!, body);
      if (method === 'GET') return { status: 200, body: this.byId.get(single[1]!) };
    }
    return undefined;
  }

  private create(body: unknown): FakeTemplateReply {
    const b = (body ?? {}) as Record<string, unknown>;
    const { name, language, category, components } = b;
    if (typeof name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(name)) {
      return fail(graphErrors.invalidParameter('name: only lowercase letters, digits and underscores'));
    }
    if (typeof language !== 'string' || typeof category !== 'string' || !Array.isArray(components)) {
      return fail(graphErrors.invalidParameter('language, category and components are required'));
    }
    for (const t of this.byId.values()) {
      if (t.name === name && t.language === language) return fail(duplicate(name, language));
    }
    const id = String(1_000_000_000_000_000n + BigInt(randomInt(1, 2 ** 47)));
    const format = b.parameter_format === 'named' ? 'named' : 'positional';
    this.byId.set(id, {
      id,
      name,
      language,
      category,
      parameter_format: format,
      components,
      status: 'PENDING',
    });
    return { status: 200, body: { id, status: 'PENDING', category } };
  }

  private list(query: URLSearchParams): FakeTemplateReply {
    const limit = Math.min(Number(query.get('limit') ?? 25) || 25, 100);
    const all = [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
    const after = query.get('after');
    const start = after ? all.findIndex((t) => t.id === decode(after)) + 1 : 0;
    const page = all.slice(start, start + limit);
    const paging: Record<string, unknown> = {};
    if (page.length > 0) {
      paging.cursors = { before: encode(page[0]!.id), after: encode(page.at(-1)!.id) };
      if (start + limit < all.length) paging.next = `?limit=${limit}&after=${encode(page.at(-1)!.id)}`;
    }
    return { status: 200, body: { data: page, paging } };
  }

  private edit(id: string, body: unknown): FakeTemplateReply {
    const t = this.byId.get(id)!;
    const b = (body ?? {}) as Record<string, unknown>;
    if (Array.isArray(b.components)) t.components = b.components;
    if (typeof b.category === 'string') t.category = b.category;
    t.status = 'PENDING';
    return { status: 200, body: { success: true } };
  }

  private remove(query: URLSearchParams): FakeTemplateReply {
    const name = query.get('name');
    const hsmId = query.get('hsm_id');
    const doomed = [...this.byId.values()].filter((t) => t.name === name && (!hsmId || t.id === hsmId));
    if (!name || doomed.length === 0) return fail(notFound(hsmId ?? name ?? ''));
    for (const t of doomed) this.byId.delete(t.id);
    return { status: 200, body: { success: true } };
  }

  /** Meta's webhook for a review decision (or a pause, a disable...). */
  statusWebhook(
    id: string,
    event: string,
    options: { reason?: string | null; detail?: Record<string, unknown> } = {},
  ): unknown {
    const t = this.byId.get(id);
    if (!t) throw new Error(`the fake has no template ${id}`);
    if (!['FLAGGED', 'LOCKED', 'UNLOCKED'].includes(event)) {
      t.status = event === 'REINSTATED' || event === 'UNARCHIVED' ? 'APPROVED' : event;
    }
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: this.wabaId,
          time: Math.floor(Date.now() / 1000),
          changes: [
            {
              field: 'message_template_status_update',
              value: {
                event,
                message_template_id: Number(t.id),
                message_template_name: t.name,
                message_template_language: t.language,
                reason: options.reason === undefined ? 'NONE' : options.reason,
                message_template_category: t.category,
                ...options.detail,
              },
            },
          ],
        },
      ],
    };
  }
}

function fail(error: GraphError): FakeTemplateReply {
  return { status: error.httpStatus, body: errorEnvelope(error) };
}

const encode = (id: string) => Buffer.from(id).toString('base64url');
const decode = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');
