import type { Config } from '../core/config.js';

/**
 * A channel is one WhatsApp number (or the simulator, which speaks the same Cloud API
 * protocol to the project's fake Graph API). Its name is stored on every event and row.
 */
export interface Channel {
  name: string;
  kind: 'whatsapp' | 'simulator';
  phoneNumberId: string;
  /** Base URL of the Graph API, e.g. https://graph.facebook.com, or the fake's URL. */
  graphUrl: string;
  apiVersion: string;
  accessToken: string;
  /** Signs and verifies webhooks (X-Hub-Signature-256). */
  appSecret: string;
  verifyToken: string;
  rateLimitPerSecond: number;
  sendTimeoutMs: number;
  /** Path of the webhook route that receives this channel's callbacks. */
  webhookPath: string;
}

/** The configured WhatsApp number, if any. The simulator channel is added by the platform. */
export function whatsappChannelFromConfig(config: Config): Channel | undefined {
  const wa = config.whatsapp;
  if (!wa) return undefined;
  return {
    name: 'whatsapp',
    kind: 'whatsapp',
    phoneNumberId: wa.phoneNumberId,
    graphUrl: wa.graphUrl,
    apiVersion: wa.apiVersion,
    accessToken: wa.accessToken,
    appSecret: wa.appSecret,
    verifyToken: wa.verifyToken,
    rateLimitPerSecond: wa.rateLimitPerSecond,
    sendTimeoutMs: wa.sendTimeoutMs,
    webhookPath: '/webhooks/whatsapp',
  };
}
