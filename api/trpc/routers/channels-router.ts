import { channelSummaries } from '../../services/channels.js';
import { permissionProcedure, router } from '../trpc.js';

/** Settings → Channels: WhatsApp configuration status, rate limit, the simulator. */
export const channelsRouter = router({
  list: permissionProcedure('channels.read').query(({ ctx }) => channelSummaries(ctx.services.channels)),
});
