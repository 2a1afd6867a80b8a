/**
 * The order in which a sent message's status may move. Webhooks arrive out of order and
 * more than once, so a status only replaces one of lower rank: `read` never goes back to
 * `delivered`; `failed` wins over `sent` and `delivered` (in either order of arrival) but
 * not over `read`, which proves the message arrived; `played` (voice notes) comes last.
 * Statuses not listed (deleted, or ones Meta adds later) are logged but never change the row.
 */
export const deliveryStatusOrder = ['sent', 'delivered', 'failed', 'read', 'played'] as const;

/** 0 for statuses before `sent` (our own queued/sending states) and for unlisted ones. */
export function statusRank(status: string): number {
  return (deliveryStatusOrder as readonly string[]).indexOf(status) + 1;
}
