import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_WABA_ID, startFakeGraphApi } from './fake-graph-api.js';
import { graphErrors } from './graph-errors.js';

const appSecret = 'fake-app-secret';
const accessToken = 'token-123';

// A plain webhook receiver: records the raw bytes and headers exactly as they arrived.
const received: { raw: string; signature: string | undefined }[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({
      raw: Buffer.concat(chunks).toString('utf8'),
      signature: req.headers['x-hub-signature-256'] as string,
    });
    res.writeHead(200).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/test`;

const fake = await startFakeGraphApi({
  appSecret,
  accessToken,
  webhookUrl,
  statusDelayMs: 5,
  phoneNumberId: '1555',
});
afterAll(async () => {
  await fake.stop();
  await new Promise((r) => receiver.close(r));
});
beforeEach(async () => {
  // Status webhooks of the previous test's messages must not land in this test's list.
  await fake.idle();
  received.length = 0;
  fake.clearFailures();
});

async function post(body: unknown, token = accessToken) {
  const res = await fetch(`${fake.url}/v23.0/1555/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

const text = (to: string, extra: Record<string, unknown> = {}) => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
  type: 'text',
  text: { body: 'Hello' },
  ...extra,
});

function verify(raw: string, signature: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`);
  return (
    signature !== undefined &&
    signature.length === expected.length &&
    timingSafeEqual(Buffer.from(signature), expected)
  );
}

describe('fake Graph API: /messages', () => {
  it('accepts a message with Meta success body', async () => {
    const res = await post(text('27831112222'));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body).toStrictEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '27831112222', wa_id: '27831112222' }],
      messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/=]+$/) }],
    });
    expect(fake.requests.at(-1)).toMatchObject({
      status: 200,
      phoneNumberId: '1555',
      wamid: body.messages[0].id,
    });
  });

  it('answers message_status accepted for a template, like Meta', async () => {
    const res = await post({
      messaging_product: 'whatsapp',
      to: '27831112222',
      type: 'template',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    });
    expect(JSON.parse(res.text).messages).toStrictEqual([
      { id: expect.stringMatching(/^wamid\./), message_status: 'accepted' },
    ]);
  });

  it('checks a send of a template it knows as Meta does: each variable needs its parameter (132000)', async () => {
    const created = await fetch(`${fake.url}/v23.0/${FAKE_WABA_ID}/message_templates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'clinic_booking',
        language: 'en',
        category: 'UTILITY',
        components: [
          { type: 'HEADER', format: 'TEXT', text: 'Visit at {{1}}' },
          { type: 'BODY', text: 'Hi {{1}}, book for {{2}}.' },
          { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Book', url: 'https://clinic.example/{{1}}' }] },
        ],
      }),
    });
    expect(created.status).toBe(200);
    const send = (components: unknown[]) =>
      post({
        messaging_product: 'whatsapp',
        to: '27831112222',
        type: 'template',
        template: { name: 'clinic_booking', language: { code: 'en' }, components },
      });
    const textParams = (...values: string[]) => values.map((v) => ({ type: 'text', text: v }));
    const header = { type: 'header', parameters: textParams('Soweto') };
    const button = { type: 'button', sub_type: 'url', index: '0', parameters: textParams('abc') };
    const short = await send([header, { type: 'body', parameters: textParams('Thandi') }, button]);
    expect(short.status).toBe(400);
    expect(JSON.parse(short.text).error).toMatchObject({
      code: 132000,
      message: '(#132000) Number of parameters does not match the expected number of params',
      error_data: {
        messaging_product: 'whatsapp',
        details: 'body: number of localizable_params (1) does not match the expected number of params (2)',
      },
    });
    const noButton = await send([header, { type: 'body', parameters: textParams('Thandi', 'Monday') }]);
    expect(JSON.parse(noButton.text).error.error_data.details).toBe(
      'button 0: number of localizable_params (0) does not match the expected number of params (1)',
    );
    const full = await send([header, { type: 'body', parameters: textParams('Thandi', 'Monday') }, button]);
    expect(full.status).toBe(200);
  });

  it('refuses a bad token with 401 and code 190', async () => {
    const res = await post(text('27831112222'), 'wrong');
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toStrictEqual({
      error: {
        message: 'Invalid OAuth access token - Cannot parse access token',
        type: 'OAuthException',
        code: 190,
        fbtrace_id: expect.stringMatching(/^[\w-]{27}$/),
      },
    });
  });

  it.each([
    [
      'to',
      { messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } },
      'The parameter to or recipient is required.',
    ],
    [
      'type',
      { messaging_product: 'whatsapp', to: '27831112222', text: { body: 'x' } },
      'The parameter type is required.',
    ],
    [
      'text.body',
      { messaging_product: 'whatsapp', to: '27831112222', type: 'text', text: {} },
      "Param text['body'] is required.",
    ],
  ])('refuses a missing %s with 400, code 100 "Invalid parameter"', async (_field, body, details) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      JSON.stringify({
        error: {
          message: '(#100) Invalid parameter',
          type: 'OAuthException',
          code: 100,
          error_data: { messaging_product: 'whatsapp', details },
          fbtrace_id: JSON.parse(res.text).error.fbtrace_id,
        },
      }),
    );
  });

  it('answers injected failures in Meta envelope: 130429 with HTTP 429, then 131000 with 500, then success', async () => {
    fake.failNext(1, graphErrors.throughput());
    fake.failNext(1, graphErrors.internal());
    const first = await post(text('27831113333'));
    const second = await post(text('27831113333'));
    const third = await post(text('27831113333'));
    expect([first.status, second.status, third.status]).toEqual([429, 500, 200]);
    expect(first.text).toBe(
      JSON.stringify({
        error: {
          message: '(#130429) Rate limit hit',
          type: 'OAuthException',
          code: 130429,
          error_data: {
            messaging_product: 'whatsapp',
            details: 'Cloud API message throughput has been reached.',
          },
          fbtrace_id: JSON.parse(first.text).error.fbtrace_id,
        },
      }),
    );
    expect(JSON.parse(second.text).error).toMatchObject({
      code: 131000,
      message: '(#131000) Something went wrong',
    });
    // Failed requests deliver nothing: only the third reached the person.
    expect(fake.conversation('27831113333').length).toBe(1);
  });

  it('answers a mark-as-read request with success and marks the inbound message read', async () => {
    const inbound = await fake.simulateInbound({ from: '27831114444', text: 'hi' });
    const res = await post({ messaging_product: 'whatsapp', status: 'read', message_id: inbound.id });
    expect(JSON.parse(res.text)).toStrictEqual({ success: true });
    expect(fake.conversation('27831114444')[0]?.read).toBe(true);
  });
});

describe('fake Graph API: webhooks', () => {
  it('posts signed sent, delivered and read statuses in Meta format, echoing biz_opaque_callback_data', async () => {
    const res = await post(text('27831115555', { biz_opaque_callback_data: 'parley:42' }));
    const wamid = JSON.parse(res.text).messages[0].id;
    await fake.idle();
    expect(received.map((r) => verify(r.raw, r.signature))).toEqual([true, true, true]);
    const statuses = received.map((r) => JSON.parse(r.raw));
    const value = (n: number) => statuses[n].entry[0].changes[0].value;
    expect(statuses[0]).toStrictEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '100000000000002',
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001234', phone_number_id: '1555' },
                statuses: [
                  {
                    id: wamid,
                    status: 'sent',
                    timestamp: expect.stringMatching(/^\d{10}$/),
                    recipient_id: '27831115555',
                    biz_opaque_callback_data: 'parley:42',
                    conversation: {
                      id: expect.stringMatching(/^[0-9a-f]{32}$/),
                      expiration_timestamp: expect.stringMatching(/^\d{10}$/),
                      origin: { type: 'service' },
                    },
                    pricing: {
                      billable: false,
                      pricing_model: 'PMP',
                      type: 'free_customer_service',
                      category: 'service',
                    },
                  },
                ],
              },
              field: 'messages',
            },
          ],
        },
      ],
    });
    expect(value(1).statuses[0]).toMatchObject({
      status: 'delivered',
      biz_opaque_callback_data: 'parley:42',
    });
    expect(value(1).statuses[0].conversation.expiration_timestamp).toBeUndefined();
    expect(value(2).statuses[0]).toStrictEqual({
      id: wamid,
      status: 'read',
      timestamp: expect.stringMatching(/^\d{10}$/),
      recipient_id: '27831115555',
      biz_opaque_callback_data: 'parley:42',
    });
    expect(verify(`${received[0]!.raw} `, received[0]!.signature)).toBe(false);
    expect(fake.conversation('27831115555')[0]?.statuses.map((s) => s.status)).toEqual([
      'sent',
      'delivered',
      'read',
    ]);
  });

  it('posts a failed status with Meta error when told the person cannot be reached', async () => {
    fake.failDeliveryTo('27831116666', {
      code: 131026,
      title: 'Message undeliverable',
      message: 'Message undeliverable',
      details: 'Not on WhatsApp.',
    });
    await post(text('27831116666'));
    await fake.idle();
    expect(received.length).toBe(1);
    expect(verify(received[0]!.raw, received[0]!.signature)).toBe(true);
    const status = JSON.parse(received[0]!.raw).entry[0].changes[0].value.statuses[0];
    expect(status.status).toBe('failed');
    expect(status.errors).toStrictEqual([
      {
        code: 131026,
        title: 'Message undeliverable',
        message: 'Message undeliverable',
        error_data: { details: 'Not on WhatsApp.' },
        href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
      },
    ]);
  });

  it('simulates inbound text and a button reply that quotes the message offering the button', async () => {
    const offer = await post({
      messaging_product: 'whatsapp',
      to: '27831117777',
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Go?' },
        action: { buttons: [{ type: 'reply', reply: { id: 'go', title: 'Go' } }] },
      },
    });
    await fake.idle();
    received.length = 0;
    const first = await fake.simulateInbound({ from: '27831117777', name: 'Thandi', text: 'hello' });
    const second = await fake.simulateInbound({
      from: '27831117777',
      name: 'Thandi',
      button_reply: { id: 'go', title: 'Go' },
    });
    expect(first.delivery?.status).toBe(200);
    expect(received.map((r) => verify(r.raw, r.signature))).toEqual([true, true]);
    const value = JSON.parse(received[0]!.raw).entry[0].changes[0].value;
    expect(value.contacts).toStrictEqual([{ profile: { name: 'Thandi' }, wa_id: '27831117777' }]);
    expect(value.messages).toStrictEqual([
      {
        from: '27831117777',
        id: first.id,
        timestamp: expect.stringMatching(/^\d{10}$/),
        type: 'text',
        text: { body: 'hello' },
      },
    ]);
    expect(JSON.parse(received[1]!.raw).entry[0].changes[0].value.messages[0]).toStrictEqual({
      context: { from: '15550001234', id: JSON.parse(offer.text).messages[0].id },
      from: '27831117777',
      id: second.id,
      timestamp: expect.stringMatching(/^\d{10}$/),
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'go', title: 'Go' } },
    });
  });
});
