import { DEFAULT_SENTINEL_PORT, parseSentinelAddress } from './redis-target';

describe('parseSentinelAddress', () => {
  it('reads host:port, a bare host (the sentinel port) and a bracketed IPv6 address', () => {
    expect(parseSentinelAddress('10.0.0.5:26380')).toEqual({ host: '10.0.0.5', port: 26380 });
    expect(parseSentinelAddress('sentinel-1.internal')).toEqual({
      host: 'sentinel-1.internal',
      port: DEFAULT_SENTINEL_PORT,
    });
    expect(parseSentinelAddress('[fd00::5]:26379')).toEqual({ host: 'fd00::5', port: 26379 });
  });

  it.each(['', 'host:', 'host:0', 'host:65536', 'host:port', 'fd00::5', 'a b:1', '[fd00::5]x'])(
    'refuses %j',
    (text) => expect(parseSentinelAddress(text)).toBeNull(),
  );
});
