import { channelSummaries } from '../../services/channels.js';
import { defineRoute } from '../define-route.js';
import { channelListSchema } from '../schemas/channel.schema.js';

export const channelRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/channels',
    operationId: 'listChannels',
    summary: 'List channels',
    description:
      'The WhatsApp number (configured or not, with its rate limit) and the simulator. Never includes secrets.',
    tag: 'Channels',
    permission: 'channels.read',
    success: { status: 200, description: 'Channels', schema: channelListSchema },
    handler: async ({ services }) => ({ data: channelSummaries(services.channels) }),
  }),
];
