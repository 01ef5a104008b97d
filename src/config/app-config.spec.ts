import { ConfigError, loadConfig } from './app-config';

const valid = {
  PANEL_ADMIN_TOKEN: 'a'.repeat(32),
  PANEL_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/wgfleet',
      redis: { kind: 'server', url: 'redis://127.0.0.1:6379' },
      port: 3000,
      host: '127.0.0.1',
      driftScanIntervalS: 300,
      driftHistoryDays: 30,
      metricsPublic: false,
      metricsCacheS: 5,
      driftLiveMinIntervalS: 5,
      rateLimits: { windowS: 60, perToken: 60000, authFailures: 60 },
    });
    expect(config.secretKey).toHaveLength(32);
  });

  it('refuses a short admin token with a message naming it', () => {
    expect(() => loadConfig({ ...valid, PANEL_ADMIN_TOKEN: 'short' })).toThrow(
      /PANEL_ADMIN_TOKEN must be at least 32 characters/,
    );
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PANEL_SECRET_KEY: 'abcd', PORT: '70000', DRIFT_SCAN_INTERVAL_S: 'soon' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).message;
      expect(text).toMatch(/PANEL_ADMIN_TOKEN is required/);
      expect(text).toMatch(/PANEL_SECRET_KEY must be 32 bytes/);
      expect(text).toMatch(/PORT must be a whole number/);
      expect(text).toMatch(/DRIFT_SCAN_INTERVAL_S/);
    }
  });

  it('reads the hardening settings and refuses bad ones by name', () => {
    expect(
      loadConfig({
        ...valid,
        METRICS_PUBLIC: 'true',
        DRIFT_LIVE_MIN_INTERVAL_S: '0',
        RATE_LIMIT_PER_TOKEN: '0',
        AUTH_FAILURE_LIMIT: '10',
        RATE_LIMIT_WINDOW_S: '10',
      }),
    ).toMatchObject({
      metricsPublic: true,
      driftLiveMinIntervalS: 0,
      rateLimits: { windowS: 10, perToken: 0, authFailures: 10 },
    });
    expect(() => loadConfig({ ...valid, RATE_LIMIT_WINDOW_S: '0', METRICS_PUBLIC: 'maybe' })).toThrow(
      /RATE_LIMIT_WINDOW_S must be a whole number[\s\S]*METRICS_PUBLIC must be true or false|METRICS_PUBLIC must be true or false[\s\S]*RATE_LIMIT_WINDOW_S/,
    );
  });

  it('reads TRUSTED_PROXIES as addresses and CIDRs, refusing anything else by name', () => {
    expect(loadConfig(valid).trustedProxies).toEqual([]);
    expect(
      loadConfig({ ...valid, TRUSTED_PROXIES: '10.0.0.5, fd00:1::/64,127.0.0.1' }).trustedProxies,
    ).toEqual(['10.0.0.5', 'fd00:1::/64', '127.0.0.1']);
    expect(() => loadConfig({ ...valid, TRUSTED_PROXIES: '10.0.0.0/8,proxy.example.com,*' })).toThrow(
      /TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDRs \(bad: proxy.example.com, \*\)/,
    );
  });

  it('reads the webhook retry schedule', () => {
    expect(loadConfig({ ...valid, WEBHOOK_RETRY_SCHEDULE: '5s,1m' }).webhookRetrySchedule).toEqual([
      5000, 60000,
    ]);
    expect(() => loadConfig({ ...valid, WEBHOOK_RETRY_SCHEDULE: '5s,soon' })).toThrow(
      /WEBHOOK_RETRY_SCHEDULE/,
    );
  });

  it('reads the peer lifecycle settings, usage kept at least as long as drift history', () => {
    expect(loadConfig(valid)).toMatchObject({
      quotaTimeZone: 'UTC',
      peerUsageHistoryDays: 400,
      peerEnforcementIntervalS: 60,
      peerExpiryWarningS: 259200,
      peerQuotaWarningRatio: 0.8,
    });
    expect(loadConfig({ ...valid, DRIFT_HISTORY_DAYS: '800' }).peerUsageHistoryDays).toBe(800);
    expect(
      loadConfig({ ...valid, QUOTA_TIME_ZONE: 'Europe/Berlin', PEER_QUOTA_WARNING_RATIO: '0.9' }),
    ).toMatchObject({ quotaTimeZone: 'Europe/Berlin', peerQuotaWarningRatio: 0.9 });
    expect(() => loadConfig({ ...valid, QUOTA_TIME_ZONE: 'Mars/Olympus' })).toThrow(
      /QUOTA_TIME_ZONE must be an IANA time zone/,
    );
    expect(() => loadConfig({ ...valid, PEER_QUOTA_WARNING_RATIO: '80%' })).toThrow(
      /PEER_QUOTA_WARNING_RATIO must be a number above 0 and at most 1/,
    );
    expect(() => loadConfig({ ...valid, DRIFT_HISTORY_DAYS: '60', PEER_USAGE_HISTORY_DAYS: '30' })).toThrow(
      /PEER_USAGE_HISTORY_DAYS must be a whole number from 60/,
    );
  });

  it('validates panel defaults', () => {
    expect(() => loadConfig({ ...valid, PANEL_DEFAULT_DNS: '1.1.1.1,not-an-ip' })).toThrow(
      /PANEL_DEFAULT_DNS/,
    );
  });
});

describe('loadConfig: Redis Sentinel', () => {
  const sentinel = {
    ...valid,
    REDIS_SENTINELS: '10.0.0.1:26379, 10.0.0.2:26380,sentinel-3',
    REDIS_SENTINEL_NAME: 'wgfleet',
  };

  it('reads the sentinels, the master name and both passwords', () => {
    expect(
      loadConfig({ ...sentinel, REDIS_SENTINEL_PASSWORD: 'sentinel-pass', REDIS_PASSWORD: 'data-pass' })
        .redis,
    ).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
        { host: 'sentinel-3', port: 26379 },
      ],
      name: 'wgfleet',
      sentinelPassword: 'sentinel-pass',
      password: 'data-pass',
    });
  });

  it('refuses REDIS_URL beside REDIS_SENTINELS', () => {
    expect(() => loadConfig({ ...sentinel, REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      /REDIS_URL and REDIS_SENTINELS are both set/,
    );
  });

  it('refuses sentinels without a master name, and a name without sentinels', () => {
    expect(() => loadConfig({ ...valid, REDIS_SENTINELS: '10.0.0.1:26379' })).toThrow(
      /REDIS_SENTINEL_NAME is required with REDIS_SENTINELS/,
    );
    expect(() => loadConfig({ ...valid, REDIS_SENTINEL_NAME: 'wgfleet' })).toThrow(
      /REDIS_SENTINEL_NAME is set but REDIS_SENTINELS is not/,
    );
  });

  it('names the addresses it cannot read', () => {
    expect(() => loadConfig({ ...sentinel, REDIS_SENTINELS: '10.0.0.1:26379,10.0.0.2:http' })).toThrow(
      /REDIS_SENTINELS must be a comma-separated list of host:port addresses \(bad: 10.0.0.2:http\)/,
    );
  });

  it('refuses a Sentinel password without sentinels', () => {
    expect(() => loadConfig({ ...valid, REDIS_PASSWORD: 'data-pass' })).toThrow(
      /REDIS_PASSWORD applies only with REDIS_SENTINELS/,
    );
  });
});

describe('loadConfig: single sign-on and sessions', () => {
  const oidc = {
    ...valid,
    OIDC_ISSUER: 'https://id.example.com/realms/ops',
    OIDC_CLIENT_ID: 'wgfleet',
    OIDC_CLIENT_SECRET: 's3cret',
    PANEL_PUBLIC_URL: 'https://wgfleet.example.com/',
  };

  it('is off without an issuer, and sessions have their defaults', () => {
    const config = loadConfig(valid);
    expect(config.oidc).toBeNull();
    expect(config.sessions).toEqual({
      idleTimeoutS: 3600,
      absoluteTimeoutS: 43200,
      allowedOrigins: ['http://127.0.0.1:3000'],
    });
  });

  it('derives the redirect URL and the allowed origin from PANEL_PUBLIC_URL', () => {
    const config = loadConfig({ ...oidc, CSRF_ALLOWED_ORIGINS: 'https://ops.example.com' });
    expect(config.oidc).toEqual({
      issuer: 'https://id.example.com/realms/ops',
      clientId: 'wgfleet',
      clientSecret: 's3cret',
      redirectUrl: 'https://wgfleet.example.com/auth/oidc/callback',
      scopes: ['openid', 'profile', 'email'],
      groupsClaim: 'groups',
      displayName: 'single sign-on',
    });
    expect(config.sessions.allowedOrigins).toEqual([
      'https://wgfleet.example.com',
      'https://ops.example.com',
    ]);
  });

  it('refuses an incomplete or insecure OIDC setup, naming each variable', () => {
    expect(() =>
      loadConfig({
        ...valid,
        OIDC_ISSUER: 'http://id.example.com',
        OIDC_SCOPES: 'profile',
        CSRF_ALLOWED_ORIGINS: 'https://ops.example.com/path',
      }),
    ).toThrow(
      /OIDC_SCOPES must include openid[\s\S]*OIDC_ISSUER must be an https URL[\s\S]*OIDC_CLIENT_ID is required[\s\S]*OIDC_CLIENT_SECRET is required[\s\S]*CSRF_ALLOWED_ORIGINS must be a comma-separated list of origins/,
    );
    expect(() => loadConfig({ ...valid, OIDC_CLIENT_ID: 'wgfleet' })).toThrow(
      /OIDC_CLIENT_ID is set but OIDC_ISSUER is not/,
    );
  });

  it('allows plain http to a provider on the same machine', () => {
    const config = loadConfig({ ...oidc, OIDC_ISSUER: 'http://127.0.0.1:9000' });
    expect(config.oidc?.issuer).toBe('http://127.0.0.1:9000');
  });

  it('keeps the absolute timeout at least as long as the idle one', () => {
    expect(() =>
      loadConfig({ ...valid, SESSION_IDLE_TIMEOUT_S: '600', SESSION_ABSOLUTE_TIMEOUT_S: '60' }),
    ).toThrow(/SESSION_ABSOLUTE_TIMEOUT_S must be a whole number from 600/);
  });
});
