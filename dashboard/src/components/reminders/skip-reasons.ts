/** Why a person was skipped, in words (the engine's reason codes). */
const reasons: Record<string, string> = {
  blocked: 'Blocked',
  opted_out: 'Opted out of marketing',
  erased: 'Erased',
  recently_sent: 'Got this reminder recently',
  cancelled: 'Reminder cancelled',
  no_identity: 'No phone number or BSUID',
};

export function skipReason(code: string): string {
  return reasons[code] ?? code.replaceAll('_', ' ');
}
