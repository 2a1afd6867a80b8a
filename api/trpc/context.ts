import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import type { Db } from '../../core/db/database.js';
import type { Actor } from '../auth/actor.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../auth/session-cookie.js';
import { actorFromSession } from '../auth/sessions.js';
import type { ApiServices } from '../services/api-services.js';

/** The session cookie, abstracted so procedures can sign in and out under createCaller too. */
export interface SessionCookieJar {
  token: string | undefined;
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

export interface Context {
  services: ApiServices;
  db: Db;
  actor: Actor | null;
  /** The caller's address, for the per-address sign-in limit. */
  address: string;
  cookies: SessionCookieJar;
  setHeader(name: string, value: string): void;
}

/** tRPC's createContext for the Fastify adapter: the signed-in user comes from the session cookie. */
export function contextFactory(services: ApiServices) {
  return async ({ req, res }: CreateFastifyContextOptions): Promise<Context> => {
    const token = readSessionCookie(req);
    const actor = token ? ((await actorFromSession(services.db, token)) ?? null) : null;
    return {
      services,
      db: services.db,
      actor,
      address: req.ip,
      cookies: {
        token,
        set: (value, expiresAt) => setSessionCookie(req, res, services.config.publicUrl, value, expiresAt),
        clear: () => clearSessionCookie(req, res, services.config.publicUrl),
      },
      setHeader: (name, value) => {
        void res.header(name, value);
      },
    };
  };
}
