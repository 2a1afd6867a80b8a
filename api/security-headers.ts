import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * Security headers on every answer (docs/security.md). The policy allows scripts and styles
 * from our own origin only; a server-rendered page with an inline <script> or <style> (the
 * simulator, the API reference) gets exactly those blocks allowed by their SHA-256 hash, so
 * no injected script can run even there. Nothing may frame Parley.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    const inline = type.startsWith('text/html') && typeof payload === 'string' ? inlineHashes(payload) : none;
    reply.header('content-security-policy', contentSecurityPolicy(inline));
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    return payload;
  });
}

const none = { scripts: [] as string[], styles: [] as string[] };

export function contentSecurityPolicy(inline: { scripts: string[]; styles: string[] } = none): string {
  return [
    "default-src 'self'",
    ['script-src', "'self'", ...inline.scripts].join(' '),
    ['style-src', "'self'", ...inline.styles].join(' '),
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Hashes of the inline script and style blocks of a page (a <script> with src is not inline). */
export function inlineHashes(html: string): { scripts: string[]; styles: string[] } {
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  const scripts = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) =>
    hash(m[1]!),
  );
  const styles = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => hash(m[1]!));
  return { scripts: [...new Set(scripts)], styles: [...new Set(styles)] };
}
