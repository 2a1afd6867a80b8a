import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The one place that reads process.env (CONVENTIONS.md): every variable is parsed here,
 * and code under test receives a Config object instead of reading the environment.
 * The README's configuration table is checked against `configVariables` by a test.
 */

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().min(1).optional());
const port = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(fallback));

export const configSchema = z
  .object({
    DATABASE_URL: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
        .optional(),
    ),
    PORT: port(3000),
    HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
    PARLEY_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
    PARLEY_PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url('must be an absolute URL').optional()),
    PARLEY_EMBEDDED_PG_PORT: port(0),
    PARLEY_SIMULATOR: z.preprocess(
      emptyAsUndefined,
      z.enum(['auto', 'on', 'off'], 'must be auto, on or off').default('auto'),
    ),
    PARLEY_DEFAULT_REPLY: z.preprocess(
      emptyAsUndefined,
      z.string().max(4096, 'a WhatsApp text message holds at most 4,096 characters').optional(),
    ),
    // Which proxies may tell us the client's address (X-Forwarded-For): a hop count or addresses/CIDRs.
    PARLEY_TRUST_PROXY: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .refine(
          validTrustProxy,
          'must be a number of proxy hops (1) or a comma-separated list of addresses or CIDRs (10.0.0.0/8, ::1, loopback)',
        )
        .optional(),
    ),
    PARLEY_LOG_FORMAT: z.preprocess(
      emptyAsUndefined,
      z.enum(['auto', 'pretty', 'json'], 'must be auto, pretty or json').default('auto'),
    ),
    PARLEY_LOG_LEVEL: z.preprocess(
      emptyAsUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    WHATSAPP_APP_SECRET: optionalString,
    WHATSAPP_VERIFY_TOKEN: optionalString,
    WHATSAPP_ACCESS_TOKEN: optionalString,
    WHATSAPP_PHONE_NUMBER_ID: optionalString,
    // Message templates belong to the WhatsApp Business Account, not to a phone number.
    WHATSAPP_BUSINESS_ACCOUNT_ID: z.preprocess(
      emptyAsUndefined,
      z.string().regex(/^\d+$/, 'a WhatsApp Business Account id is digits').optional(),
    ),
    WHATSAPP_GRAPH_URL: z.preprocess(
      emptyAsUndefined,
      z.url('must be an absolute URL').default('https://graph.facebook.com'),
    ),
    WHATSAPP_API_VERSION: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^v\d+\.\d+$/, 'must look like v23.0')
        .default('v23.0'),
    ),
    WHATSAPP_RATE_LIMIT: z.preprocess(
      emptyAsUndefined,
      z.coerce.number().int().min(1).max(1000, 'Meta allows at most 1,000 messages/s per number').default(80),
    ),
    WHATSAPP_SEND_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).default(15000)),
    // Meta's tiers of unique people a business may start conversations with in a rolling 24 h.
    WHATSAPP_MESSAGING_LIMIT: z.preprocess(
      emptyAsUndefined,
      z
        .enum(
          ['250', '2000', '10000', '100000', 'unlimited'],
          'must be 250, 2000, 10000, 100000 or unlimited',
        )
        .default('250'),
    ),
    // First admin, created on start when no user exists; without them a setup link is printed.
    PARLEY_ADMIN_EMAIL: z.preprocess(emptyAsUndefined, z.email('must be an email address').optional()),
    PARLEY_ADMIN_PASSWORD: z.preprocess(
      emptyAsUndefined,
      z.string().min(10, 'must be at least 10 characters').max(200).optional(),
    ),
    // Outbound webhooks may target loopback/private addresses (tests, the simulator); never in production.
    PARLEY_ALLOW_LOCAL_WEBHOOKS: z.preprocess(
      emptyAsUndefined,
      z.enum(['true', 'false'], 'must be true or false').default('false'),
    ),
    // BigQuery export (warehouse/bigquery): off unless BIGQUERY_PROJECT and BIGQUERY_DATASET are set.
    BIGQUERY_PROJECT: optionalString,
    BIGQUERY_DATASET: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_]{1,1024}$/, 'a BigQuery dataset id has only letters, digits and underscores')
        .optional(),
    ),
    BIGQUERY_LOCATION: z.preprocess(emptyAsUndefined, z.string().min(1).default('US')),
    // Service account key JSON; without it Google's application default credentials are used.
    BIGQUERY_CREDENTIALS_FILE: optionalString,
  })
  .superRefine((env, ctx) => {
    if ((env.BIGQUERY_PROJECT === undefined) !== (env.BIGQUERY_DATASET === undefined)) {
      const missing = env.BIGQUERY_PROJECT === undefined ? 'BIGQUERY_PROJECT' : 'BIGQUERY_DATASET';
      const other = missing === 'BIGQUERY_PROJECT' ? 'BIGQUERY_DATASET' : 'BIGQUERY_PROJECT';
      ctx.addIssue({ code: 'custom', path: [missing], message: `required when ${other} is set` });
    }
    if ((env.PARLEY_ADMIN_EMAIL === undefined) !== (env.PARLEY_ADMIN_PASSWORD === undefined)) {
      const missing = env.PARLEY_ADMIN_EMAIL === undefined ? 'PARLEY_ADMIN_EMAIL' : 'PARLEY_ADMIN_PASSWORD';
      const other = missing === 'PARLEY_ADMIN_EMAIL' ? 'PARLEY_ADMIN_PASSWORD' : 'PARLEY_ADMIN_EMAIL';
      ctx.addIssue({ code: 'custom', path: [missing], message: `required when ${other} is set` });
    }
    // A half-configured WhatsApp number would silently drop webhooks or sends: all or nothing.
    const whatsapp = [
      'WHATSAPP_APP_SECRET',
      'WHATSAPP_VERIFY_TOKEN',
      'WHATSAPP_ACCESS_TOKEN',
      'WHATSAPP_PHONE_NUMBER_ID',
    ] as const;
    const set = whatsapp.filter((name) => env[name] !== undefined);
    if (set.length > 0 && set.length < whatsapp.length) {
      for (const name of whatsapp.filter((n) => env[n] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `required when ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set`,
        });
      }
    }
  });

export type RawConfig = z.output<typeof configSchema>;

export interface WhatsAppConfig {
  appSecret: string;
  verifyToken: string;
  accessToken: string;
  phoneNumberId: string;
  graphUrl: string;
  apiVersion: string;
  rateLimitPerSecond: number;
  sendTimeoutMs: number;
  /** The WhatsApp Business Account that owns the number's templates; template management is off without it. */
  businessAccountId?: string;
}

export interface Config {
  databaseUrl: string | undefined;
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string | undefined;
  embeddedPostgresPort: number;
  /** The simulator channel runs when switched on, or by default when no WhatsApp number is configured. */
  simulator: boolean;
  defaultReply: string | undefined;
  logLevel: RawConfig['PARLEY_LOG_LEVEL'];
  /** Console lines: readable on a terminal (auto), or always readable/JSON. */
  logFormat: RawConfig['PARLEY_LOG_FORMAT'];
  /**
   * Proxies whose X-Forwarded-For is believed (Fastify's trustProxy): false trusts none, a
   * number trusts that many hops, a list trusts those addresses/CIDRs. The sign-in limits
   * count by the address this yields.
   */
  trustProxy: false | number | string[];
  whatsapp: WhatsAppConfig | undefined;
  rateLimitPerSecond: number;
  sendTimeoutMs: number;
  /** Unique people templates may start per rolling 24 hours (Meta's messaging limit); null: unlimited. */
  messagingLimit: number | null;
  graphUrl: string;
  apiVersion: string;
  /** First admin's credentials (PARLEY_ADMIN_EMAIL/PASSWORD), both or neither. */
  admin: { email: string; password: string } | undefined;
  /** Outbound webhooks may target loopback, private and link-local addresses. */
  allowLocalWebhooks: boolean;
  /** BigQuery export target; undefined (export off) unless BIGQUERY_PROJECT and BIGQUERY_DATASET are set. */
  bigquery?: { projectId: string; datasetId: string; location: string; credentialsFile: string | undefined };
}

export const configVariables = Object.keys(configSchema.shape) as (keyof typeof configSchema.shape)[];

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; reason: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.reason}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws one ConfigError that lists every invalid variable and why. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        reason: issue.message,
      })),
    );
  }
  const e = parsed.data;
  const whatsapp: WhatsAppConfig | undefined =
    e.WHATSAPP_APP_SECRET && e.WHATSAPP_VERIFY_TOKEN && e.WHATSAPP_ACCESS_TOKEN && e.WHATSAPP_PHONE_NUMBER_ID
      ? {
          appSecret: e.WHATSAPP_APP_SECRET,
          verifyToken: e.WHATSAPP_VERIFY_TOKEN,
          accessToken: e.WHATSAPP_ACCESS_TOKEN,
          phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
          graphUrl: e.WHATSAPP_GRAPH_URL,
          apiVersion: e.WHATSAPP_API_VERSION,
          rateLimitPerSecond: e.WHATSAPP_RATE_LIMIT,
          sendTimeoutMs: e.WHATSAPP_SEND_TIMEOUT_MS,
          businessAccountId: e.WHATSAPP_BUSINESS_ACCOUNT_ID,
        }
      : undefined;
  return {
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.PARLEY_DATA_DIR,
    publicUrl: e.PARLEY_PUBLIC_URL,
    embeddedPostgresPort: e.PARLEY_EMBEDDED_PG_PORT,
    simulator: e.PARLEY_SIMULATOR === 'on' || (e.PARLEY_SIMULATOR === 'auto' && whatsapp === undefined),
    defaultReply: e.PARLEY_DEFAULT_REPLY,
    logLevel: e.PARLEY_LOG_LEVEL,
    logFormat: e.PARLEY_LOG_FORMAT,
    trustProxy: parseTrustProxy(e.PARLEY_TRUST_PROXY),
    whatsapp,
    rateLimitPerSecond: e.WHATSAPP_RATE_LIMIT,
    sendTimeoutMs: e.WHATSAPP_SEND_TIMEOUT_MS,
    messagingLimit: e.WHATSAPP_MESSAGING_LIMIT === 'unlimited' ? null : Number(e.WHATSAPP_MESSAGING_LIMIT),
    graphUrl: e.WHATSAPP_GRAPH_URL,
    apiVersion: e.WHATSAPP_API_VERSION,
    admin:
      e.PARLEY_ADMIN_EMAIL && e.PARLEY_ADMIN_PASSWORD
        ? { email: e.PARLEY_ADMIN_EMAIL.toLowerCase(), password: e.PARLEY_ADMIN_PASSWORD }
        : undefined,
    allowLocalWebhooks: e.PARLEY_ALLOW_LOCAL_WEBHOOKS === 'true',
    bigquery:
      e.BIGQUERY_PROJECT && e.BIGQUERY_DATASET
        ? {
            projectId: e.BIGQUERY_PROJECT,
            datasetId: e.BIGQUERY_DATASET,
            location: e.BIGQUERY_LOCATION,
            credentialsFile: e.BIGQUERY_CREDENTIALS_FILE,
          }
        : undefined,
  };
}

// proxy-addr's names for address ranges, accepted by Fastify's trustProxy.
const proxyRangeNames = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validTrustProxy(value: string): boolean {
  if (/^\d+$/.test(value.trim())) return Number(value) >= 1 && Number(value) <= 10;
  return value.split(',').every((part) => {
    const entry = part.trim();
    if (proxyRangeNames.has(entry)) return true;
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return false;
    if (bits === undefined) return true;
    return /^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
  });
}

function parseTrustProxy(value: string | undefined): false | number | string[] {
  if (value === undefined) return false;
  if (/^\d+$/.test(value.trim())) return Number(value);
  return value.split(',').map((part) => part.trim());
}
