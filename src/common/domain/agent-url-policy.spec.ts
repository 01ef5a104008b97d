import {
  agentTransport,
  agentUrlProblem,
  hostVerdict,
  isAllowListItem,
  parseAllowList,
} from './agent-url-policy';

const allow = parseAllowList(['10.0.0.0/8', 'fd00::/8', 'Agents.Example.net'])!;
const open = { requireTls: false, allow: null };

describe('agent URL policy', () => {
  it('names the transport a node uses', () => {
    expect(agentTransport({ agent_url: 'http://10.0.0.5:8420' })).toBe('http');
    expect(agentTransport({ agent_url: 'https://10.0.0.5:8420' })).toBe('https');
    expect(agentTransport({ agent_url: 'https://10.0.0.5:8420', agent_cert_fingerprint: 'ab' })).toBe(
      'https-pinned',
    );
    expect(agentTransport({ agent_url: 'https://10.0.0.5:8420', agent_ca_cert: 'PEM' })).toBe('https-pinned');
  });

  it('refuses http:// with a CA or fingerprint, and any http:// when TLS is required', () => {
    expect(agentUrlProblem({ agent_url: 'http://a:1', agent_ca_cert: 'PEM' }, open)).toMatch(/https/);
    expect(agentUrlProblem({ agent_url: 'http://a:1' }, open)).toBeNull();
    expect(agentUrlProblem({ agent_url: 'http://a:1' }, { ...open, requireTls: true })).toMatch(
      /PANEL_REQUIRE_AGENT_TLS/,
    );
    expect(agentUrlProblem({ agent_url: 'https://a:1' }, { ...open, requireTls: true })).toBeNull();
  });

  it('decides literal addresses and listed names; other names are resolved', () => {
    expect(hostVerdict('10.1.2.3', allow)).toBe('allowed');
    expect(hostVerdict('::ffff:10.1.2.3', allow)).toBe('allowed');
    expect(hostVerdict('fd00::1', allow)).toBe('allowed');
    expect(hostVerdict('169.254.169.254', allow)).toBe('denied');
    expect(hostVerdict('::ffff:127.0.0.1', allow)).toBe('denied');
    expect(hostVerdict('agents.example.net', allow)).toBe('allowed');
    expect(hostVerdict('metadata.internal', allow)).toBe('resolve');
    expect(agentUrlProblem({ agent_url: 'http://[::1]:8420' }, { ...open, allow })).toMatch(
      /AGENT_URL_ALLOW/,
    );
  });

  it('reads AGENT_URL_ALLOW items: CIDRs and host names, nothing else', () => {
    expect(
      ['10.0.0.0/8', '192.0.2.7', 'fd00::/8', 'agent-1.example.net', 'node7'].every(isAllowListItem),
    ).toBe(true);
    expect(['10.0.0.0/33', 'http://x', 'a b', ''].some(isAllowListItem)).toBe(false);
    expect(parseAllowList([])).toBeNull();
  });
});
