/**
 * Parses a multipart/related body (RFC 2387), as @google-cloud/common sends load jobs
 * (https://cloud.google.com/bigquery/docs/reference/api-uploads#multipart): the job resource
 * as JSON, then the file. Returns each part's bytes without its headers.
 */
export function multipartRelated(contentType: string, body: Buffer): Buffer[] {
  const match = /boundary="?([^";]+)"?/i.exec(contentType);
  if (!match) throw new Error('multipart body without a boundary');
  const delimiter = Buffer.from(`--${match[1]}`);
  const parts: Buffer[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    // "--" after a delimiter closes the body.
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next === -1) break;
    const part = body.subarray(afterDelimiter, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd === -1) throw new Error('multipart part without headers');
    let content = part.subarray(headerEnd + 4);
    if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
    parts.push(content);
    start = next;
  }
  return parts;
}
