import { isCidr, isIpAddress } from '../common/domain/cidr';
import { PanelDefaults } from '../common/domain/desired-state';
import { AgentUrlPolicy, isAllowListItem, parseAllowList } from '../common/domain/agent-url-policy';
import { DEFAULT_RETRY_SCHEDULE_MS, parseRetrySchedule } from '../common/domain/retry-schedule';
import { isTimeZone } from '../common/domain/time-zone';
import { parseSentinelAddress, RedisTarget } from './redis-target';

/**
 * A 20,000-peer dump is about 8 MB (some 400 bytes of JSON per peer with two allowed IPs); 32 MiB leaves
 * room for peers with dozens of allowed IPs and stops a hostile answer long before it hurts the panel.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Everything the panel reads from its environment, validated once at start-up. */
export interface AppConfig {
  databaseUrl: string;
  /** REDIS_URL, or REDIS_SENTINELS and REDIS_SENTINEL_NAME. */
  redis: RedisTarget;
  port: number;
  host: string;
  /** Base URL used in webhook payload links, e.g. https://wgfleet.example.com. */
  publicUrl: string;
  adminToken: string;
  secretKey: Buffer;
  logLevel: string;
  driftScanIntervalS: number;
  driftHistoryDays: number;
  driftScanConcurrency: number;
  /** One agent call attempt, connect to last byte. */
  agentTimeoutMs: number;
  agentMaxResponseBytes: number;
  /** PANEL_REQUIRE_AGENT_TLS and AGENT_URL_ALLOW. */
  agentUrlPolicy: AgentUrlPolicy;
  reconcileConcurrency: number;
  autoReconcileMinIntervalS: number;
  /** How many peers a user with role `self` may own (docs/API.md "Self-service"). */
  selfServicePeerLimit: number;
  applyDebounceMs: number;
  applyMaxWaitMs: number;
  webhookAllowPrivate: boolean;
  /** Delays between delivery attempts, in ms. */
  webhookRetrySchedule: readonly number[];
  webhookFlapHoldS: number;
  metricsPerPeer: boolean;
  /** `/metrics` answers without a token. */
  metricsPublic: boolean;
  /** How long one refresh of the database-backed metrics serves scrapes, in seconds (0: every scrape). */
  metricsCacheS: number;
  /** A node is scanned live from the API at most once per this many seconds (0: single-flight only). */
  driftLiveMinIntervalS: number;
  rateLimits: RateLimitConfig;
  /** TRUSTED_PROXIES: addresses and CIDRs of reverse proxies whose X-Forwarded-For names the client. */
  trustedProxies: readonly string[];
  /** IANA zone whose calendar days, weeks and months quota periods follow. */
  quotaTimeZone: string;
  peerUsageHistoryDays: number;
  peerEnforcementIntervalS: number;
  /** How long before a peer expires `peer.expiring` is sent. */
  peerExpiryWarningS: number;
  /** Share of a quota at which `peer.quota_warning` is sent. */
  peerQuotaWarningRatio: number;
  defaults: PanelDefaults;
  audit: AuditConfig;
  /** Single sign-on with an OpenID Connect provider; null (token login only) when OIDC_ISSUER is not set. */
  oidc: OidcConfig | null;
  sessions: SessionConfig;
}

/** The panel as an OpenID Connect client (docs/OPERATIONS.md "Single sign-on"). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back: the panel's `/auth/oidc/callback`. */
  redirectUrl: string;
  scopes: readonly string[];
  /** The ID token claim that lists the user's groups. */
  groupsClaim: string;
  /** The console's button says "Sign in with <displayName>". */
  displayName: string;
}

/** Console sessions (docs/SECURITY.md "Sessions"). */
export interface SessionConfig {
  /** A session unused for this long ends. */
  idleTimeoutS: number;
  /** A session ends this long after sign-in, however busy. */
  absoluteTimeoutS: number;
  /** Origins a cookie-authenticated write may come from: PANEL_PUBLIC_URL's and CSRF_ALLOWED_ORIGINS. */
  allowedOrigins: readonly string[];
}

/** The audit chain (docs/AUDIT.md). */
export interface AuditConfig {
  /** How often committed events are sealed into the chain, in ms (0: this instance never seals). */
  sealIntervalMs: number;
  /** A checkpoint is signed once this many events were sealed since the last one ... */
  checkpointEvery: number;
  /** ... or this many seconds passed with any new event. */
  checkpointIntervalS: number;
  /** How often the panel verifies its whole chain (and once at start-up). */
  verifyIntervalS: number;
}

/** Request limits per fixed window; 0 turns a limit off. */
export interface RateLimitConfig {
  windowS: number;
  /** Requests one API token may make per window. */
  perToken: number;
  /** Requests with an unknown or revoked token one client address may make per window. */
  authFailures: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  string(name: string, fallback?: string): string {
    const value = this.env[name]?.trim();
    if (value) return value;
    if (fallback === undefined) this.problems.push(`${name} is required`);
    return fallback ?? '';
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  list(name: string, fallback: string[], isValid: (item: string) => boolean, what: string): string[] {
    const raw = this.env[name];
    if (raw === undefined) return fallback;
    const items = raw
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    const bad = items.filter((item) => !isValid(item));
    if (bad.length)
      this.problems.push(`${name} must be a comma-separated list of ${what} (bad: ${bad.join(', ')})`);
    return items;
  }

  retrySchedule(name: string): readonly number[] {
    const raw = this.env[name]?.trim();
    if (!raw) return DEFAULT_RETRY_SCHEDULE_MS;
    try {
      return parseRetrySchedule(raw);
    } catch (error) {
      this.problems.push(`${name}: ${(error as Error).message}`);
      return DEFAULT_RETRY_SCHEDULE_MS;
    }
  }

  fraction(name: string, fallback: number): number {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || value > 1) {
      this.problems.push(`${name} must be a number above 0 and at most 1 (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  timeZone(name: string, fallback: string): string {
    const value = this.string(name, fallback);
    if (!isTimeZone(value))
      this.problems.push(`${name} must be an IANA time zone such as Europe/Berlin (got "${value}")`);
    return value;
  }

  /** REDIS_URL for one server, or the REDIS_SENTINEL_* settings for a primary that Sentinel fails over. */
  redisTarget(): RedisTarget {
    const sentinelList = this.env.REDIS_SENTINELS?.trim();
    const name = this.env.REDIS_SENTINEL_NAME?.trim();
    if (!sentinelList) {
      if (name) this.problems.push('REDIS_SENTINEL_NAME is set but REDIS_SENTINELS is not');
      for (const password of ['REDIS_SENTINEL_PASSWORD', 'REDIS_PASSWORD'])
        if (this.env[password]?.trim())
          this.problems.push(`${password} applies only with REDIS_SENTINELS (put a password in REDIS_URL)`);
      return { kind: 'server', url: this.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']) };
    }
    if (this.env.REDIS_URL?.trim())
      this.problems.push(
        'REDIS_URL and REDIS_SENTINELS are both set: set REDIS_URL for one Redis server, or REDIS_SENTINELS and REDIS_SENTINEL_NAME for Sentinel, not both',
      );
    if (!name)
      this.problems.push(
        'REDIS_SENTINEL_NAME is required with REDIS_SENTINELS (the master name the sentinels monitor)',
      );
    const sentinels = this.list(
      'REDIS_SENTINELS',
      [],
      (item) => parseSentinelAddress(item) !== null,
      'host:port addresses',
    ).flatMap((item) => parseSentinelAddress(item) ?? []);
    return {
      kind: 'sentinel',
      sentinels,
      name: name ?? '',
      sentinelPassword: this.env.REDIS_SENTINEL_PASSWORD || undefined,
      password: this.env.REDIS_PASSWORD || undefined,
    };
  }

  /** Single sign-on is on when OIDC_ISSUER is set; then its client settings are required. */
  oidc(publicUrl: string): OidcConfig | null {
    const issuer = this.env.OIDC_ISSUER?.trim();
    if (!issuer) {
      for (const name of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'])
        if (this.env[name]?.trim()) this.problems.push(`${name} is set but OIDC_ISSUER is not`);
      return null;
    }
    const scopes = this.string('OIDC_SCOPES', 'openid profile email').split(/\s+/);
    if (!scopes.includes('openid')) this.problems.push('OIDC_SCOPES must include openid');
    const groupsClaim = this.string('OIDC_GROUPS_CLAIM', 'groups');
    if (!/^[A-Za-z0-9_:./-]{1,100}$/.test(groupsClaim))
      this.problems.push(`OIDC_GROUPS_CLAIM must be a claim name (got "${groupsClaim}")`);
    return {
      issuer: this.secureUrl('OIDC_ISSUER', issuer),
      clientId: this.string('OIDC_CLIENT_ID'),
      clientSecret: this.string('OIDC_CLIENT_SECRET'),
      redirectUrl: this.secureUrl(
        'OIDC_REDIRECT_URL',
        this.string('OIDC_REDIRECT_URL', `${publicUrl}/auth/oidc/callback`),
      ),
      scopes,
      groupsClaim,
      displayName: this.string('OIDC_DISPLAY_NAME', 'single sign-on').slice(0, 60),
    };
  }

  /** An https URL; plain http only to a loopback host (a provider or panel on the same machine, tests). */
  secureUrl(name: string, value: string): string {
    try {
      const parsed = new URL(value);
      if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)))
        return value;
    } catch {
      // reported below
    }
    this.problems.push(`${name} must be an https URL (http only for localhost) (got "${value}")`);
    return value;
  }

  origins(name: string): string[] {
    return this.list(name, [], isOrigin, 'origins such as https://wgfleet.example.com');
  }

  url(name: string, fallback: string, protocols: string[]): string {
    const value = this.string(name, fallback);
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) throw new Error();
    } catch {
      this.problems.push(`${name} must be a ${protocols.join(' or ')} URL`);
    }
    return value;
  }
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return ['http:', 'https:'].includes(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}

/** Reads and validates the whole configuration; throws one ConfigError listing every problem found. */
export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const adminToken = read.string('PANEL_ADMIN_TOKEN');
  if (adminToken && adminToken.length < 32) {
    read.problems.push(`PANEL_ADMIN_TOKEN must be at least 32 characters (got ${adminToken.length})`);
  }
  const secretKeyText = read.string('PANEL_SECRET_KEY');
  const secretKey = Buffer.from(secretKeyText, 'base64');
  if (secretKeyText && secretKey.length !== 32) {
    read.problems.push(
      `PANEL_SECRET_KEY must be 32 bytes in base64 (got ${secretKey.length} bytes); create one with: openssl rand -base64 32`,
    );
  }
  const port = read.int('PORT', 3000, 1, 65535);
  const host = read.string('HOST', '127.0.0.1');
  const mtuText = env.PANEL_DEFAULT_MTU?.trim();
  const publicUrl = read
    .url('PANEL_PUBLIC_URL', `http://${host}:${port}`, ['http:', 'https:'])
    .replace(/\/+$/, '');
  const idleTimeoutS = read.int('SESSION_IDLE_TIMEOUT_S', 3600, 1, 30 * 86400);
  const config: AppConfig = {
    databaseUrl: read.url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/wgfleet', [
      'postgres:',
      'postgresql:',
    ]),
    redis: read.redisTarget(),
    port,
    host,
    publicUrl,
    adminToken,
    secretKey,
    logLevel: read.string('LOG_LEVEL', 'info'),
    driftScanIntervalS: read.int('DRIFT_SCAN_INTERVAL_S', 300, 1, 86400),
    driftHistoryDays: read.int('DRIFT_HISTORY_DAYS', 30, 1, 3650),
    driftScanConcurrency: read.int('DRIFT_SCAN_CONCURRENCY', 16, 1, 256),
    agentTimeoutMs: read.int('AGENT_TIMEOUT_MS', 5000, 100, 120000),
    agentMaxResponseBytes: read.int(
      'AGENT_MAX_RESPONSE_BYTES',
      DEFAULT_MAX_RESPONSE_BYTES,
      64 * 1024,
      1024 * 1024 * 1024,
    ),
    agentUrlPolicy: {
      requireTls: read.bool('PANEL_REQUIRE_AGENT_TLS', false),
      allow: parseAllowList(read.list('AGENT_URL_ALLOW', [], isAllowListItem, 'CIDRs or host names')),
    },
    reconcileConcurrency: read.int('RECONCILE_CONCURRENCY', 4, 1, 64),
    autoReconcileMinIntervalS: read.int('AUTO_RECONCILE_MIN_INTERVAL_S', 300, 0, 86400),
    selfServicePeerLimit: read.int('SELF_SERVICE_PEER_LIMIT', 3, 0, 1000),
    applyDebounceMs: read.int('APPLY_DEBOUNCE_MS', 200, 0, 60000),
    applyMaxWaitMs: read.int('APPLY_MAX_WAIT_MS', 2000, 0, 600000),
    webhookAllowPrivate: read.bool('WEBHOOK_ALLOW_PRIVATE', false),
    webhookRetrySchedule: read.retrySchedule('WEBHOOK_RETRY_SCHEDULE'),
    webhookFlapHoldS: read.int('WEBHOOK_FLAP_HOLD_S', 300, 0, 86400),
    metricsPerPeer: read.bool('METRICS_PER_PEER', false),
    metricsPublic: read.bool('METRICS_PUBLIC', false),
    metricsCacheS: read.int('METRICS_CACHE_S', 5, 0, 300),
    driftLiveMinIntervalS: read.int('DRIFT_LIVE_MIN_INTERVAL_S', 5, 0, 3600),
    rateLimits: {
      windowS: read.int('RATE_LIMIT_WINDOW_S', 60, 1, 3600),
      perToken: read.int('RATE_LIMIT_PER_TOKEN', 60000, 0, 10_000_000),
      authFailures: read.int('AUTH_FAILURE_LIMIT', 60, 0, 1_000_000),
    },
    trustedProxies: read.list(
      'TRUSTED_PROXIES',
      [],
      (item) => isIpAddress(item) || isCidr(item),
      'IP addresses or CIDRs',
    ),
    quotaTimeZone: read.timeZone('QUOTA_TIME_ZONE', 'UTC'),
    peerUsageHistoryDays: 0,
    peerEnforcementIntervalS: read.int('PEER_ENFORCEMENT_INTERVAL_S', 60, 1, 3600),
    peerExpiryWarningS: read.int('PEER_EXPIRY_WARNING_S', 3 * 86400, 0, 365 * 86400),
    peerQuotaWarningRatio: read.fraction('PEER_QUOTA_WARNING_RATIO', 0.8),
    defaults: {
      dns: read.list('PANEL_DEFAULT_DNS', [], isIpAddress, 'IP addresses'),
      mtu: mtuText ? read.int('PANEL_DEFAULT_MTU', 1420, 1280, 9000) : null,
      persistent_keepalive: read.int('PANEL_DEFAULT_KEEPALIVE', 25, 0, 65535),
      endpoint_allowed_ips: read.list(
        'PANEL_DEFAULT_ENDPOINT_ALLOWED_IPS',
        ['0.0.0.0/0', '::/0'],
        isCidr,
        'CIDRs',
      ),
      listen_port: read.int('PANEL_DEFAULT_LISTEN_PORT', 51820, 1, 65535),
    },
    audit: {
      sealIntervalMs: read.int('AUDIT_SEAL_INTERVAL_MS', 1000, 0, 600000),
      checkpointEvery: read.int('AUDIT_CHECKPOINT_EVERY', 1000, 1, 100_000_000),
      checkpointIntervalS: read.int('AUDIT_CHECKPOINT_INTERVAL_S', 300, 1, 86400),
      verifyIntervalS: read.int('AUDIT_VERIFY_INTERVAL_S', 3600, 10, 7 * 86400),
    },
    oidc: read.oidc(publicUrl),
    sessions: {
      idleTimeoutS,
      absoluteTimeoutS: read.int(
        'SESSION_ABSOLUTE_TIMEOUT_S',
        Math.max(12 * 3600, idleTimeoutS),
        idleTimeoutS,
        365 * 86400,
      ),
      allowedOrigins: [
        ...new Set([safeOrigin(publicUrl), ...read.origins('CSRF_ALLOWED_ORIGINS')].filter(Boolean)),
      ],
    },
  };
  // Usage outlives the scans it was counted from.
  config.peerUsageHistoryDays = read.int(
    'PEER_USAGE_HISTORY_DAYS',
    Math.max(config.driftHistoryDays, 400),
    config.driftHistoryDays,
    36500,
  );
  if (read.problems.length) throw new ConfigError(read.problems);
  return config;
}
