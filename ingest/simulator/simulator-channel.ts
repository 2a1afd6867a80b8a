import type { Channel } from '../channels.js';
import { FAKE_PHONE_NUMBER_ID } from '../fake-graph-api/fake-graph-api.js';

export interface SimulatorChannelOptions {
  /** Base URL of the fake Graph API that plays Meta for the simulator. */
  fakeGraphUrl: string;
  /** Shared with the fake, which signs its webhooks with it; make one per boot. */
  appSecret: string;
  accessToken?: string;
  verifyToken?: string;
  phoneNumberId?: string;
  apiVersion?: string;
  rateLimitPerSecond?: number;
  sendTimeoutMs?: number;
}

/**
 * The simulator is a channel like a WhatsApp number: the sender posts to the fake Graph
 * API, which answers and signs webhooks exactly as Meta does, so simulator messages take
 * the same path through webhook, log, engine and outbox (DESIGN.md, principle 4).
 */
export function simulatorChannel(options: SimulatorChannelOptions): Channel {
  return {
    name: 'simulator',
    kind: 'simulator',
    phoneNumberId: options.phoneNumberId ?? FAKE_PHONE_NUMBER_ID,
    graphUrl: options.fakeGraphUrl,
    apiVersion: options.apiVersion ?? 'v23.0',
    accessToken: options.accessToken ?? 'simulator-access-token',
    appSecret: options.appSecret,
    verifyToken: options.verifyToken ?? 'simulator-verify-token',
    rateLimitPerSecond: options.rateLimitPerSecond ?? 80,
    sendTimeoutMs: options.sendTimeoutMs ?? 5000,
    webhookPath: '/webhooks/simulator',
  };
}
