import path from 'node:path';
import type { ContractType } from './domain/contracts';
import { UTC } from './domain/dates';
import { zoneClock } from './domain/zones';

// The one place that reads the environment. Everything else receives a Config.
export interface Config {
  dataDir: string;
  api: {
    host: string;
    port: number;
    bodyLimit: number;
    requestTimeoutMs: number;
    /** How long a request waits for a workflow to answer an Update before it answers 504 (outcome unknown). */
    updateWaitMs: number;
    rateLimitPerMinute: number;
    logLevel: string;
    /** CRM_DEMO_USERS: null lets `npm start` decide by the listen address (see demoUsersDecision). */
    demoUsers: boolean | null;
  };
  databaseUrl: string | null; // null: embedded PostgreSQL under dataDir
  embeddedPostgresPort: number;
  bootstrapAdminKey: string | null;
  temporal: {
    address: string;
    namespace: string;
    uiPort: number;
    uiUrl: string;
    taskQueuePrefix: string;
    // Temporal Cloud / secured clusters
    apiKey: string | null;
    tls: { enabled: boolean; serverName: string | null; clientCertPath: string | null; clientKeyPath: string | null; caPath: string | null };
    cliPath: string | null;
    startDevServer: boolean;
    /** Keys that encrypt workflow payloads (PII); empty: `npm start` generates one under dataDir. */
    payloadKeys: PayloadKey[];
    /** The key new payloads are encrypted with; every listed key still decrypts. */
    payloadKeyId: string | null;
    /**
     * The codec endpoint `npm start` gives the dev server's UI (TEMPORAL_CODEC_ENDPOINT; default the API's
     * /codec), so a manager reads decrypted payloads without typing anything.
     */
    codecEndpoint: string;
    /**
     * Whether the codec admits the UI's own origin calling from this machine without a key
     * (CRM_CODEC_TRUST_LOCAL_UI): only when the API listens on loopback, where the one who can reach it
     * can read the data directory anyway. Everyone else needs a bearer key (or the UI's forwarded token).
     */
    codecTrustsLocalUi: boolean;
  };
  worker: { shutdownGraceMs: number; maxCachedWorkflows: number | null; workflowBundlePath: string | null };
  idPrefixes: {
    ticket: string; order: string; contract: string; return: string; invoice: string; creditNote: string; incident: string;
    /** A prefix per contract type (CRM_CONTRACT_PREFIX_VALUE, …_QUANTITY), e.g. `VC-2026-000007`; default the contract prefix. */
    contractByType: Record<ContractType, string>;
  };
  /**
   * The business time zone (CRM_BUSINESS_TIME_ZONE, an IANA name, default UTC; Appendix A): a date such as
   * a contract's validFrom means 00:00 there, and invoices, due dates and late fees count its calendar days.
   */
  business: { timeZone: string };
  contracts: {
    /**
     * Length of one contract-calendar day in ms (CRM_CONTRACT_DAY_MS, default a real day). Contract
     * lifecycles are measured in days and months (notice periods, renewal terms, billing periods); every
     * such span is converted through domain/contract-time.ts with this value, so a test can run a
     * year-long lifecycle in seconds. It travels in the workflow input: a running contract keeps its scale.
     */
    dayMs: number;
    /** How often the dunning sweep looks for invoices that became overdue (CRM_DUNNING_INTERVAL_MS). */
    dunningIntervalMs: number;
  };
  notifications: {
    /** CRM_SMTP_URL: null turns e-mail off (the inbox and webhooks still work); `npm start` then runs the mail catcher. */
    smtpUrl: string | null;
    mailFrom: string;
    /** Where `npm start` runs the mail catcher when no SMTP server is configured (CRM_MAIL_CATCHER=false: none). */
    mailCatcher: { enabled: boolean; port: number };
    /** The console's address as people reach it, for the links in e-mail. */
    publicUrl: string;
    /**
     * Delivery retries: exponential from initialMs, doubling up to maxMs, given up after giveUpAfterMs
     * (at least a day by default, as Standard Webhooks receivers expect). They travel in the delivery
     * workflow's input, so a running delivery keeps its schedule.
     */
    retry: { initialMs: number; maxMs: number; giveUpAfterMs: number; attemptTimeoutMs: number };
    /** How long one webhook attempt may take before it counts as failed. */
    webhookTimeoutMs: number;
  };
  /** The customer's portal links: CRM_PORTAL_KEY, else derived from the payload key (db/portal.ts). */
  portal: { key: Buffer | null };
  /** The e-mail channel's SMTP listener (SPEC §9); port null: off (`npm start` turns it on at 2526). */
  inbound: { host: string; port: number | null; maxBytes: number; sweepIntervalMs: number };
}

export interface PayloadKey {
  id: string;
  key: Buffer; // 32 bytes, AES-256
}

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {}

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function positive(env: Env, name: string, fallback: number): number {
  const value = int(env, name, fallback);
  if (value === 0) throw new ConfigError(`${name} must be greater than 0`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function str(env: Env, name: string): string | null {
  const raw = env[name];
  return raw === undefined || raw === '' ? null : raw;
}

function timeZone(env: Env, name: string): string {
  const zone = str(env, name) ?? UTC;
  try {
    zoneClock(zone);
  } catch {
    throw new ConfigError(`${name} must be an IANA time zone name such as "Europe/Berlin", got "${zone}"`);
  }
  return zone;
}

/** smtp://host:port or smtps://user:pass@host:port; the refusal never repeats the password. */
function smtpUrl(env: Env): string | null {
  const raw = str(env, 'CRM_SMTP_URL');
  if (raw === null) return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    // refused below
  }
  if (!url || !['smtp:', 'smtps:'].includes(url.protocol) || !url.hostname) {
    const shown = raw.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
    throw new ConfigError(`CRM_SMTP_URL must look like smtp://host:port or smtps://user:password@host:465, got "${shown}"`);
  }
  return raw;
}

/** CRM_PORTAL_KEY: base64 of at least 32 random bytes (`openssl rand -base64 32`), as a link's key must be. */
function portalKey(env: Env): Buffer | null {
  const raw = str(env, 'CRM_PORTAL_KEY');
  if (raw === null) return null;
  const key = Buffer.from(raw, 'base64');
  if (key.length < 32) throw new ConfigError(`CRM_PORTAL_KEY must be base64 of at least 32 random bytes, got ${key.length}`);
  return key;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** `id1:base64,id2:base64` — each key 32 random bytes (`openssl rand -base64 32`). */
export function parsePayloadKeys(raw: string | null, name = 'CRM_PAYLOAD_KEYS'): PayloadKey[] {
  if (!raw) return [];
  return raw.split(',').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const colon = entry.indexOf(':');
    const [id, encoded] = [entry.slice(0, colon), entry.slice(colon + 1)];
    if (colon < 0 || !KEY_ID.test(id)) throw new ConfigError(`${name}: each entry is <id>:<base64 key> with an id of letters, digits, '.', '_' or '-'`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32) throw new ConfigError(`${name}: key ${id} must be 32 bytes (base64 of 32 random bytes), got ${key.length}`);
    return { id, key };
  });
}

function currentPayloadKeyId(keys: PayloadKey[], raw: string | null): string | null {
  if (raw === null) {
    if (keys.length > 1) throw new ConfigError('CRM_PAYLOAD_KEY_ID must name the current key when CRM_PAYLOAD_KEYS lists several');
    return keys[0]?.id ?? null;
  }
  if (!keys.some((k) => k.id === raw)) throw new ConfigError(`CRM_PAYLOAD_KEY_ID "${raw}" is not one of the keys in CRM_PAYLOAD_KEYS`);
  return raw;
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(env.CRM_DATA_DIR || '.data');
  const address = env.TEMPORAL_ADDRESS || 'localhost:7233';
  const uiPort = int(env, 'TEMPORAL_UI_PORT', Number(address.split(':').pop() ?? 7233) + 1000);
  const apiKey = str(env, 'TEMPORAL_API_KEY');
  const clientCertPath = str(env, 'TEMPORAL_TLS_CERT');
  const rawPayloadKeys = str(env, 'CRM_PAYLOAD_KEYS');
  const rawPayloadKeyId = str(env, 'CRM_PAYLOAD_KEY_ID');
  const config: Config = {
    dataDir,
    api: {
      // Loopback unless told otherwise: `npm start` prints keys for every role, which must not reach a
      // café network by default. Containers and servers set HOST=0.0.0.0 deliberately.
      host: env.HOST || '127.0.0.1',
      port: int(env, 'PORT', 3000),
      bodyLimit: int(env, 'CRM_BODY_LIMIT', 256 * 1024),
      requestTimeoutMs: int(env, 'CRM_REQUEST_TIMEOUT_MS', 30_000),
      // Below the request timeout, so the caller gets a 504 it can act on rather than a dropped connection.
      updateWaitMs: int(env, 'CRM_UPDATE_WAIT_MS', 20_000),
      rateLimitPerMinute: int(env, 'CRM_RATE_LIMIT_PER_MINUTE', 1200),
      logLevel: env.LOG_LEVEL || 'info',
      demoUsers: str(env, 'CRM_DEMO_USERS') === null ? null : bool(env, 'CRM_DEMO_USERS', false),
    },
    databaseUrl: str(env, 'DATABASE_URL'),
    embeddedPostgresPort: int(env, 'CRM_EMBEDDED_PG_PORT', 54329),
    bootstrapAdminKey: str(env, 'CRM_BOOTSTRAP_ADMIN_KEY'),
    temporal: {
      address,
      namespace: env.TEMPORAL_NAMESPACE || 'default',
      uiPort,
      uiUrl: env.TEMPORAL_UI_URL || `http://localhost:${uiPort}`,
      taskQueuePrefix: env.CRM_TASK_QUEUE_PREFIX || '',
      apiKey,
      tls: {
        enabled: bool(env, 'TEMPORAL_TLS', Boolean(apiKey || clientCertPath)),
        serverName: str(env, 'TEMPORAL_TLS_SERVER_NAME'),
        clientCertPath,
        clientKeyPath: str(env, 'TEMPORAL_TLS_KEY'),
        caPath: str(env, 'TEMPORAL_TLS_CA'),
      },
      cliPath: str(env, 'TEMPORAL_CLI'),
      // `npm start` runs a dev server unless pointed at an existing cluster.
      startDevServer: bool(env, 'CRM_START_TEMPORAL', !env.TEMPORAL_ADDRESS),
      payloadKeys: [],
      payloadKeyId: null,
      codecEndpoint: env.TEMPORAL_CODEC_ENDPOINT || `${(env.CRM_PUBLIC_URL || `http://localhost:${int(env, 'PORT', 3000)}`).replace(/\/+$/, '')}/codec`,
      codecTrustsLocalUi: bool(env, 'CRM_CODEC_TRUST_LOCAL_UI', true),
    },
    worker: {
      shutdownGraceMs: int(env, 'CRM_WORKER_SHUTDOWN_GRACE_MS', 10_000),
      maxCachedWorkflows: env.CRM_WORKER_MAX_CACHED ? int(env, 'CRM_WORKER_MAX_CACHED', 0) : null,
      workflowBundlePath: str(env, 'CRM_WORKFLOW_BUNDLE'),
    },
    idPrefixes: {
      ticket: env.CRM_TICKET_PREFIX || 'T',
      order: env.CRM_ORDER_PREFIX || 'SO',
      contract: env.CRM_CONTRACT_PREFIX || 'C',
      return: env.CRM_RETURN_PREFIX || 'R',
      invoice: env.CRM_INVOICE_PREFIX || 'INV',
      contractByType: {
        value: env.CRM_CONTRACT_PREFIX_VALUE || env.CRM_CONTRACT_PREFIX || 'C',
        quantity: env.CRM_CONTRACT_PREFIX_QUANTITY || env.CRM_CONTRACT_PREFIX || 'C',
      },
      incident: env.CRM_INCIDENT_PREFIX || 'INC',
      creditNote: env.CRM_CREDIT_NOTE_PREFIX || 'CN',
    },
    business: { timeZone: timeZone(env, 'CRM_BUSINESS_TIME_ZONE') },
    contracts: {
      dayMs: positive(env, 'CRM_CONTRACT_DAY_MS', 86_400_000),
      dunningIntervalMs: positive(env, 'CRM_DUNNING_INTERVAL_MS', 3_600_000),
    },
    notifications: {
      smtpUrl: smtpUrl(env),
      mailFrom: env.CRM_MAIL_FROM || 'crmflow <crmflow@localhost>',
      mailCatcher: { enabled: bool(env, 'CRM_MAIL_CATCHER', true), port: int(env, 'CRM_MAIL_CATCHER_PORT', 2525) },
      publicUrl: (env.CRM_PUBLIC_URL || `http://localhost:${int(env, 'PORT', 3000)}`).replace(/\/+$/, ''),
      retry: {
        initialMs: positive(env, 'CRM_DELIVERY_RETRY_INITIAL_MS', 10_000),
        maxMs: positive(env, 'CRM_DELIVERY_RETRY_MAX_MS', 3_600_000),
        giveUpAfterMs: positive(env, 'CRM_DELIVERY_GIVE_UP_AFTER_MS', 48 * 3_600_000),
        /** One attempt's limit: past it (a worker that died mid-send), Temporal retries on another worker. */
        attemptTimeoutMs: positive(env, 'CRM_DELIVERY_ATTEMPT_TIMEOUT_MS', 60_000),
      },
      webhookTimeoutMs: positive(env, 'CRM_WEBHOOK_TIMEOUT_MS', 10_000),
    },
    portal: { key: portalKey(env) },
    inbound: {
      host: env.CRM_INBOUND_SMTP_HOST || '127.0.0.1',
      port: str(env, 'CRM_INBOUND_SMTP_PORT') === null ? null : int(env, 'CRM_INBOUND_SMTP_PORT', 0),
      maxBytes: positive(env, 'CRM_INBOUND_MAX_BYTES', 10 * 1024 * 1024),
      sweepIntervalMs: positive(env, 'CRM_INBOUND_SWEEP_MS', 60_000),
    },
  };
  // Validated after every variable is read, so tools that record what is read see them all.
  config.temporal.payloadKeys = parsePayloadKeys(rawPayloadKeys);
  config.temporal.payloadKeyId = currentPayloadKeyId(config.temporal.payloadKeys, rawPayloadKeyId);
  return config;
}

/** Whether an address reaches only this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Whether `npm start` seeds the demo users (one key per role, printed): always on loopback, never on a
 * reachable address unless CRM_DEMO_USERS=true says so; the one-line reason is printed when it does not.
 */
export function demoUsersDecision(api: Pick<Config['api'], 'host' | 'demoUsers'>): { seed: boolean; reason: string | null } {
  if (api.demoUsers !== null) return { seed: api.demoUsers, reason: api.demoUsers ? null : 'CRM_DEMO_USERS=false: no demo users seeded' };
  if (isLoopback(api.host)) return { seed: true, reason: null };
  return { seed: false, reason: `HOST=${api.host} is reachable from other machines, so no demo users (keys for every role) are seeded; set CRM_DEMO_USERS=true to seed them anyway` };
}

export const TASK_QUEUES = ['tickets', 'orders', 'contracts', 'notifications'] as const;
export type TaskQueueName = (typeof TASK_QUEUES)[number];

export function taskQueue(config: Config, name: TaskQueueName): string {
  return `${config.temporal.taskQueuePrefix}crm-${name}`;
}
