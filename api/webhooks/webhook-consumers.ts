import type { Consumer } from '../../core/log/consumer.js';
import { webhookDeliveryConsumer } from './delivery-consumer.js';

/** The log consumers of outbound webhooks, for the platform's consumer runner. */
export function webhookConsumers(): Consumer[] {
  return [webhookDeliveryConsumer()];
}
