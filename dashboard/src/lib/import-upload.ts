/** What `POST /v1/contacts/imports` answers (the people contract). */
export interface UploadedImport {
  id: string;
  status: 'uploaded';
  headers: string[];
  rows: number;
  suggestedMapping: Record<string, string | null>;
}

/** An error the REST API answered ({ error: { code, message, fields } }), shown like a tRPC one. */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/**
 * Sends the chosen file as the raw request body (text/csv, up to 50 MB): the browser streams
 * it from disk, no FormData and no copy in memory. The session cookie authorises the request.
 */
export async function uploadImport(file: File): Promise<UploadedImport> {
  const query = new URLSearchParams({ file_name: file.name });
  const res = await fetch(`/v1/contacts/imports?${query}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'text/csv' },
    body: file,
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw new UploadError(errorText(body) ?? `upload failed (HTTP ${res.status})`, res.status);
  return readUploaded(body);
}

/** Checks the answer's shape by hand (zod stays out of the dashboard bundle). */
function readUploaded(body: unknown): UploadedImport {
  if (typeof body === 'object' && body !== null) {
    const b = body as Record<string, unknown>;
    const headers = b['headers'];
    const mapping = b['suggestedMapping'];
    if (
      typeof b['id'] === 'string' &&
      Array.isArray(headers) &&
      headers.every((h) => typeof h === 'string') &&
      typeof b['rows'] === 'number' &&
      typeof mapping === 'object' &&
      mapping !== null
    ) {
      const suggested: Record<string, string | null> = {};
      for (const [header, key] of Object.entries(mapping))
        suggested[header] = typeof key === 'string' ? key : null;
      return { id: b['id'], status: 'uploaded', headers, rows: b['rows'], suggestedMapping: suggested };
    }
  }
  throw new UploadError('the server answered the upload in an unexpected shape', 502);
}

function errorText(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { message, fields } = error as { message?: unknown; fields?: unknown };
  if (typeof message !== 'string') return undefined;
  const reasons = Array.isArray(fields)
    ? fields.flatMap((f: { field?: unknown; reason?: unknown }) =>
        typeof f?.reason === 'string' ? [`${String(f.field ?? '')} ${f.reason}`.trim()] : [],
      )
    : [];
  return reasons.length ? `${message}: ${reasons.join('; ')}` : message;
}
