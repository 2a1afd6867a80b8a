/** How a template's review status looks: the colour of its badge. */
export function statusTone(status: string): 'ok' | 'warn' | 'bad' | '' {
  if (status === 'APPROVED') return 'ok';
  if (['PENDING', 'IN_APPEAL', 'PENDING_DELETION', 'LIMIT_EXCEEDED', 'FLAGGED'].includes(status))
    return 'warn';
  if (['REJECTED', 'PAUSED', 'DISABLED'].includes(status)) return 'bad';
  return '';
}

/**
 * Meta's reason for the last status, as people read it: the reason code (e.g. INVALID_FORMAT)
 * and the words of `rejection_info`, `other_info` or `disable_info` when Meta sent them
 * (its reason and recommendation, or a title and description). Undefined when Meta gave none.
 */
export function statusNote(t: {
  statusReason: string | null;
  statusDetail: Record<string, unknown> | null;
}): string | undefined {
  const parts: string[] = [];
  if (t.statusReason && t.statusReason !== 'NONE') parts.push(t.statusReason);
  for (const key of ['rejection_info', 'other_info', 'disable_info']) {
    const info = t.statusDetail?.[key];
    if (!info || typeof info !== 'object') continue;
    for (const field of ['reason', 'title', 'description', 'recommendation']) {
      const text = (info as Record<string, unknown>)[field];
      if (typeof text === 'string' && text !== '' && !parts.includes(text)) parts.push(text);
    }
  }
  return parts.length > 0 ? parts.join(' — ') : undefined;
}
