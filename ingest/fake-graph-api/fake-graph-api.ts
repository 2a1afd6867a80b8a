import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConversationStore, type FakeConversationEntry } from './conversation-store.js';
import { type FakeTemplate, FakeTemplates } from './fake-templates.js';
import { errorEnvelope, type FakeFailure, type GraphError, graphErrors, newWamid } from './graph-errors.js';
import { templateParameterError } from './template-parameters.js';
import { type MessagesRequest, validateRequest } from './validate-request.js';
import {
  type BusinessNumber,
  type InboundContent,
  inboundWebhook,
  newConversationId,
  type StatusError,
  statusWebhook,
} from './webhook-payloads.js';
import { type WebhookDelivery, WebhookPoster } from './webhook-poster.js';

/** Phone number id the fake uses for inbound webhooks unless told otherwise (the simulator's). */
export const FAKE_PHONE_NUMBER_ID = '100000000000001';
/** The fake's WhatsApp Business Account, which owns its message templates. */
export const FAKE_WABA_ID = '100000000000002';

export interface FakeGraphApiOptions {
  port?: number;
  appSecret: string;
  webhookUrl?: string;
  /** When set, requests must carry `Authorization: Bearer <accessToken>`; else any bearer token passes. */
  accessToken?: string;
  /** Pause before each status webhook (sent, delivered, read). Default 100 ms. */
  statusDelayMs?: number;
  /** Pause before answering each /messages request, to keep requests in flight (crash tests). */
  latencyMs?: number;
  /** Whether the fake person reads every message (a `read` status after `delivered`). Default true. */
  autoRead?: boolean;
  phoneNumberId?: string;
  displayPhoneNumber?: string;
}

export interface RecordedRequest {
  /** Arrival time in epoch milliseconds, sub-millisecond precision. */
  at: number;
  method: string;
  path: string;
  phoneNumberId: string | null;
  authorization: string | undefined;
  body: unknown;
  /** HTTP status answered, or null when the fake hung or dropped the connection. */
  status: number | null;
  response: unknown;
  /** wamid handed out for an accepted message. */
  wamid?: string;
}

export interface FailureRule {
  error: FakeFailure;
  /** How many matching requests fail; default 1. */
  times?: number;
  match?: (body: Record<string, unknown>) => boolean;
}

export type SimulatedInbound = { from: string; name?: string; contextId?: string } & InboundContent;

export interface FakeGraphApi {
  url: string;
  requests: RecordedRequest[];
  webhookDeliveries: WebhookDelivery[];
  injectFailures(rule: FailureRule): void;
  failNext(n: number, error: FakeFailure): void;
  clearFailures(): void;
  /** Messages to this person fail to deliver: a `failed` status webhook instead of sent/delivered/read. */
  failDeliveryTo(waId: string, error?: StatusError): void;
  setWebhookUrl(url: string | undefined): void;
  simulateInbound(input: SimulatedInbound): Promise<{ id: string; delivery: WebhookDelivery | null }>;
  conversation(waId: string): FakeConversationEntry[];
  reset(waId: string): void;
  /** Templates submitted to the fake's business account, by Meta template id. */
  templates: ReadonlyMap<string, FakeTemplate>;
  /**
   * Plays Meta's review: sets the template's status and posts a signed
   * `message_template_status_update` webhook (APPROVED, REJECTED with a reason, PAUSED, DISABLED...).
   */
  setTemplateStatus(
    templateId: string,
    event: string,
    options?: { reason?: string | null; detail?: Record<string, unknown> },
  ): Promise<WebhookDelivery | null>;
  /** Resolves when every status and inbound webhook started so far has been posted. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A fake of Meta's Graph API for WhatsApp, speaking the real wire format, for tests and
 * the simulator channel: `POST /{version}/{phone-number-id}/messages` with Bearer auth,
 * Meta's success and error bodies, and signed status webhooks after each accepted message.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 */
export async function startFakeGraphApi(options: FakeGraphApiOptions): Promise<FakeGraphApi> {
  const statusDelayMs = options.statusDelayMs ?? 100;
  const number: BusinessNumber = {
    phoneNumberId: options.phoneNumberId ?? FAKE_PHONE_NUMBER_ID,
    displayPhoneNumber: options.displayPhoneNumber ?? '15550001234',
    wabaId: FAKE_WABA_ID,
  };
  const templates = new FakeTemplates(FAKE_WABA_ID);
  const poster = new WebhookPoster(options.appSecret, options.webhookUrl);
  const store = new ConversationStore();
  const requests: RecordedRequest[] = [];
  const rules: { rule: FailureRule; left: number }[] = [];
  const failingDelivery = new Map<string, StatusError | undefined>();
  let stopped = false;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, errorEnvelope(graphErrors.internal()));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const at = performance.timeOrigin + performance.now();
    const raw = await readBody(req);
    const [path = '/', search = ''] = (req.url ?? '/').split('?');
    const match = /^\/v\d+\.\d+\/([^/]+)\/messages$/.exec(path);
    const record: RecordedRequest = {
      at,
      method: req.method ?? 'GET',
      path,
      phoneNumberId: match?.[1] ?? null,
      authorization: req.headers.authorization,
      body: parseJson(raw),
      status: null,
      response: undefined,
    };
    requests.push(record);
    const answer = (status: number, body: unknown) => {
      record.status = status;
      record.response = body;
      send(res, status, body);
    };
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const authorised =
      token !== undefined && (options.accessToken === undefined || token === options.accessToken);
    const templateReply = templates.handle(record.method, path, new URLSearchParams(search), record.body);
    if (templateReply) {
      if (!authorised) return answer(401, errorEnvelope(graphErrors.invalidToken()));
      return answer(templateReply.status, templateReply.body);
    }
    if (!match || req.method !== 'POST')
      return answer(400, errorEnvelope(graphErrors.unsupportedRequest(path)));
    if (!authorised) return answer(401, errorEnvelope(graphErrors.invalidToken()));
    const checked = validateRequest(record.body);
    if (!checked.ok) return answer(400, errorEnvelope(graphErrors.invalidParameter(checked.details)));
    const mismatch = templateMismatch(checked.request.body);
    if (mismatch) return answer(400, errorEnvelope(mismatch));
    const failure = takeFailure(checked.request.body);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    if (failure?.kind === 'hang') return; // never answered; the client's timeout ends it
    if (failure?.kind === 'drop') return req.socket.destroy();
    if (failure?.kind === 'graph') return answer(failure.httpStatus, errorEnvelope(failure as GraphError));
    const response = accept(checked.request, match[1]!);
    if ('messages' in response) record.wamid = response.messages?.[0]?.id;
    answer(200, response);
  }

  /** A send of a template this account knows is checked as Meta checks it (others pass: tests send made-up names). */
  function templateMismatch(body: Record<string, unknown>) {
    if (body.type !== 'template') return null;
    const sent = body.template as { name?: string; language?: { code?: string } } | undefined;
    const known = [...templates.byId.values()].find(
      (t) => t.name === sent?.name && t.language === sent?.language?.code,
    );
    return known ? templateParameterError(known, sent) : null;
  }

  function takeFailure(body: Record<string, unknown>): FakeFailure | undefined {
    const found = rules.find((r) => r.left > 0 && (r.rule.match?.(body) ?? true));
    if (!found) return undefined;
    found.left -= 1;
    return found.rule.error;
  }

  function accept(request: MessagesRequest, phoneNumberId: string) {
    if (request.kind === 'mark_read') {
      const entry = store.find(request.messageId);
      if (entry) entry.read = true;
      return { success: true };
    }
    const wamid = newWamid();
    const template = request.type === 'template';
    const callbackData =
      typeof request.body.biz_opaque_callback_data === 'string'
        ? request.body.biz_opaque_callback_data
        : undefined;
    const entry: FakeConversationEntry = {
      direction: 'outbound',
      id: wamid,
      at: new Date(),
      body: request.body,
      callbackData,
      statuses: [],
    };
    store.add(request.to, entry);
    poster.track(runStatuses(entry, request.to, request.addressedBy, template, { ...number, phoneNumberId }));
    const message: Record<string, string> = { id: wamid };
    if (template) message.message_status = 'accepted';
    return {
      messaging_product: 'whatsapp',
      // Meta answers with wa_id for a send to a phone number, user_id for one to a BSUID.
      contacts: [
        request.addressedBy === 'phone'
          ? { input: request.to, wa_id: request.to }
          : { input: request.to, user_id: request.to },
      ],
      messages: [message],
    };
  }

  async function runStatuses(
    entry: FakeConversationEntry,
    to: string,
    addressedBy: 'phone' | 'bsuid',
    template: boolean,
    from: BusinessNumber,
  ) {
    const failing = failingDelivery.has(to);
    const steps = failing
      ? (['failed'] as const)
      : options.autoRead === false
        ? (['sent', 'delivered'] as const)
        : (['sent', 'delivered', 'read'] as const);
    const conversationId = newConversationId();
    for (const status of steps) {
      await new Promise((r) => setTimeout(r, statusDelayMs));
      if (stopped) return;
      const at = new Date();
      entry.statuses.push({ status, at });
      await poster.post(
        statusWebhook(from, {
          wamid: entry.id,
          status,
          recipientId: addressedBy === 'phone' ? to : null,
          ...(addressedBy === 'bsuid' && { recipientUserId: to }),
          at,
          callbackData: entry.callbackData,
          template,
          conversationId,
          error: failingDelivery.get(to),
        }),
      );
    }
  }

  return {
    url,
    requests,
    webhookDeliveries: poster.deliveries,
    injectFailures(rule) {
      rules.push({ rule, left: rule.times ?? 1 });
    },
    failNext(n, error) {
      rules.push({ rule: { error }, left: n });
    },
    clearFailures() {
      rules.length = 0;
    },
    failDeliveryTo(waId, error) {
      failingDelivery.set(waId, error);
    },
    setWebhookUrl(webhookUrl) {
      poster.setUrl(webhookUrl);
    },
    async simulateInbound(input) {
      const { from, name, contextId, ...content } = input as SimulatedInbound & Record<string, unknown>;
      const replyId =
        'button_reply' in input
          ? input.button_reply.id
          : 'list_reply' in input
            ? input.list_reply.id
            : undefined;
      const context = contextId ?? (replyId ? store.findOffering(from, replyId)?.id : undefined);
      const wamid = newWamid();
      const at = new Date();
      const { body, message } = inboundWebhook(number, {
        from,
        name,
        wamid,
        at,
        content: content as InboundContent,
        contextId: context,
      });
      store.add(from, { direction: 'inbound', id: wamid, at, body: message, statuses: [], read: false });
      const delivery = await poster.post(body);
      return { id: wamid, delivery };
    },
    templates: templates.byId,
    setTemplateStatus: (templateId, event, statusOptions) =>
      poster.post(templates.statusWebhook(templateId, event, statusOptions)),
    conversation: (waId) => store.get(waId),
    reset: (waId) => store.reset(waId),
    idle: () => poster.idle(),
    async stop() {
      stopped = true;
      poster.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await poster.idle();
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
