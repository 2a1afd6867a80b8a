import type { Channel } from '../../ingest/channels.js';

export interface ChannelSummary {
  name: string;
  kind: 'whatsapp' | 'simulator';
  /** Whether the channel is running; a WhatsApp number is running when all four variables are set. */
  configured: boolean;
  phone_number_id: string | null;
  graph_url: string | null;
  api_version: string | null;
  rate_limit_per_second: number | null;
  webhook_path: string | null;
  /** Variables still to set for an unconfigured WhatsApp number. */
  missing: string[];
}

const whatsappVariables = [
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_PHONE_NUMBER_ID',
];

/**
 * The channels for the Channels page and GET /v1/channels: never a secret (access token,
 * app secret, verify token). A WhatsApp number that is not configured is listed with what is missing.
 */
export function channelSummaries(channels: readonly Channel[]): ChannelSummary[] {
  const summaries: ChannelSummary[] = channels.map((c) => ({
    name: c.name,
    kind: c.kind,
    configured: true,
    phone_number_id: c.phoneNumberId,
    graph_url: c.graphUrl,
    api_version: c.apiVersion,
    rate_limit_per_second: c.rateLimitPerSecond,
    webhook_path: c.webhookPath,
    missing: [],
  }));
  if (!channels.some((c) => c.kind === 'whatsapp')) {
    summaries.unshift({
      name: 'whatsapp',
      kind: 'whatsapp',
      configured: false,
      phone_number_id: null,
      graph_url: null,
      api_version: null,
      rate_limit_per_second: null,
      webhook_path: null,
      missing: whatsappVariables,
    });
  }
  return summaries;
}
