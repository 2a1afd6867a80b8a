/**
 * Calls one tRPC HTTP batch may carry. Shared by the server (maxBatchSize) and the dashboard's
 * client (maxItems), so a page that asks for many things at once splits its batches instead of
 * being refused.
 */
export const trpcMaxBatchSize = 20;
