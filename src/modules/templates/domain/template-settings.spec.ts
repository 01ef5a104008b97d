import { nextSettings, sameSettings } from './template-settings';

describe('nextSettings', () => {
  it('keeps what the changes leave out, replaces what they give and drops what they null', () => {
    expect(
      nextSettings(
        { override_mtu: 1380, fwmark: 51820, client_dns_search: ['corp.example'] },
        { override_mtu: 1420, fwmark: null, client_routes: { mode: 'full' } },
      ),
    ).toEqual({ override_mtu: 1420, client_dns_search: ['corp.example'], client_routes: { mode: 'full' } });
  });

  it('keeps 0 and empty lists as values', () => {
    expect(nextSettings({}, { fwmark: 0, override_dns: [], override_keepalive: 0 })).toEqual({
      fwmark: 0,
      override_dns: [],
      override_keepalive: 0,
    });
  });

  it('keeps only the known keys', () => {
    const input = JSON.parse('{"interface_mtu": 1400, "agent_secret": "x"}');
    expect(nextSettings({}, input)).toEqual({ interface_mtu: 1400 });
  });
});

describe('sameSettings', () => {
  it('compares values, not key order', () => {
    expect(sameSettings({ override_mtu: 1380, fwmark: 1 }, { fwmark: 1, override_mtu: 1380 })).toBe(true);
    expect(sameSettings({ override_mtu: 1380 }, { override_mtu: 1380, fwmark: 0 })).toBe(false);
  });
});
