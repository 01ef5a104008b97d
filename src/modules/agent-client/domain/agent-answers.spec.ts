import {
  batchAnswer,
  dumpAnswer,
  errorMessage,
  interfaceInfoAnswer,
  InterfaceNotReadyError,
  InvalidAnswerError,
  isInterfaceNotReady,
  syncconfAnswer,
} from './agent-answers';

const KEY = Buffer.alloc(32, 1).toString('base64');
const PEER_KEY = Buffer.alloc(32, 2).toString('base64');

const peer = (overrides: Record<string, unknown> = {}) => ({
  public_key: PEER_KEY,
  preshared_key_sha256: 'a'.repeat(64),
  endpoint: '[2001:db8::1]:51820',
  allowed_ips: ['10.0.0.2/32', 'fd00::2/128'],
  latest_handshake: 1_700_000_000,
  transfer_rx: 10,
  transfer_tx: 20,
  persistent_keepalive: 25,
  ...overrides,
});
const dump = (peerOverrides: Record<string, unknown> = {}, iface: Record<string, unknown> = {}) => ({
  interface: { name: 'wg0', public_key: KEY, listen_port: 51820, fwmark: null, ...iface },
  peers: [peer(peerOverrides)],
});

function problemOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidAnswerError);
    return (error as Error).message;
  }
  throw new Error('expected the answer to be refused');
}

describe('agent answers', () => {
  it('accepts a well-formed dump as it is', () => {
    expect(dumpAnswer(dump())).toEqual(dump());
  });

  it.each([
    ['interface.public_key', {}, { public_key: `${KEY}\n` }],
    ['interface.listen_port', {}, { listen_port: '51820' }],
    ['interface.name', {}, { name: 'wg0\u2028PostUp' }],
    ['peers[0].public_key', { public_key: 'short' }, {}],
    ['peers[0].preshared_key_sha256', { preshared_key_sha256: 'A'.repeat(64) }, {}],
    ['peers[0].endpoint', { endpoint: 'host:1\nx' }, {}],
    ['peers[0].allowed_ips[1]', { allowed_ips: ['10.0.0.2/32', '10.0.0.5/24'] }, {}],
    ['peers[0].allowed_ips', { allowed_ips: '10.0.0.2/32' }, {}],
    ['peers[0].persistent_keepalive', { persistent_keepalive: 70000 }, {}],
    ['peers[0].latest_handshake', { latest_handshake: 1.5 }, {}],
  ])('names %s when it is invalid', (field, peerOverrides, iface) => {
    expect(problemOf(() => dumpAnswer(dump(peerOverrides, iface)))).toMatch(
      new RegExp(`^${field.replace(/[[\].]/g, '\\$&')} `),
    );
  });

  it('tells an interface without a key yet from an invalid answer', () => {
    expect(() => dumpAnswer(dump({}, { public_key: '' }))).toThrow(InterfaceNotReadyError);
    expect(() => interfaceInfoAnswer({ name: 'wg0', public_key: null, listen_port: 0 })).toThrow(
      InterfaceNotReadyError,
    );
    expect(problemOf(() => dumpAnswer(dump({}, { public_key: '(none)' })))).toMatch(
      /^interface\.public_key /,
    );
    expect(isInterfaceNotReady('interface_not_ready: the interface is up but has no private key yet')).toBe(
      true,
    );
    expect(isInterfaceNotReady('invalid_response: interface.public_key must be a WireGuard key')).toBe(false);
    expect(isInterfaceNotReady(undefined)).toBe(false);
  });

  it('refuses answers of the wrong shape', () => {
    expect(problemOf(() => dumpAnswer('[]'))).toBe('dump must be an object');
    expect(problemOf(() => syncconfAnswer({ added: 1, updated: 0 }))).toMatch(/^removed /);
    expect(problemOf(() => batchAnswer({ results: [{ public_key: KEY, op: 'delete', ok: true }] }))).toMatch(
      /^results\[0\]\.op /,
    );
  });

  it('keeps agent messages on one short line', () => {
    const read = batchAnswer({
      results: [
        { public_key: KEY, op: 'upsert', ok: false, error: 'bad\nPostUp = x\u2028' + 'y'.repeat(2000) },
      ],
    });
    expect(read.results[0].error).not.toMatch(/[\n\u2028]/);
    expect(read.results[0].error!.length).toBeLessThanOrEqual(1001);
    expect(errorMessage(42)).toBeNull();
  });
});
