import type { Config } from '../../core/config.js';
import { AppError } from '../../core/errors.js';
import type { TemplateAccount } from '../../engine/templates/index.js';
import type { Channel } from '../../ingest/channels.js';
import { FAKE_WABA_ID } from '../../ingest/fake-graph-api/fake-graph-api.js';
import type { ApiServices } from '../services/api-services.js';

/**
 * The business account whose templates Parley manages: the configured WhatsApp number's
 * (WHATSAPP_BUSINESS_ACCOUNT_ID), else the simulator's fake Graph API and its own account.
 */
export function templateAccountFor(config: Pick<Config, 'whatsapp'>, channels: readonly Channel[]) {
  const whatsapp = channels.find((c) => c.kind === 'whatsapp');
  const wabaId = config.whatsapp?.businessAccountId;
  if (whatsapp && wabaId) return accountOf(whatsapp, wabaId);
  const simulator = channels.find((c) => c.kind === 'simulator');
  return simulator && !whatsapp ? accountOf(simulator, FAKE_WABA_ID) : undefined;
}

export function accountOf(channel: Channel, wabaId: string): TemplateAccount {
  return {
    channel: channel.name,
    wabaId,
    graphUrl: channel.graphUrl,
    apiVersion: channel.apiVersion,
    accessToken: channel.accessToken,
    timeoutMs: channel.sendTimeoutMs,
  };
}

export function requireTemplateAccount(services: ApiServices): TemplateAccount {
  if (services.templateAccount) return services.templateAccount;
  throw new AppError(
    'unavailable',
    'template management is off: set WHATSAPP_BUSINESS_ACCOUNT_ID (the account that owns the number)',
  );
}
