/** Short local date and time for tables; the server sends ISO strings (no transformer). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Reads the `token` parameter from the URL fragment (#token=...), which never reaches server logs. */
export function fragmentToken(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}
