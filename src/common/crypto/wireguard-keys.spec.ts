import { isWireGuardKey } from '@wgfleet/protocol';
import { execFileSync } from 'node:child_process';
import { generateKeyPair, generatePresharedKey, publicKeyFromPrivateKey } from './wireguard-keys';

/** `input` is written to a pipe, so the real tool reads the key from stdin without a temp file. */
function wg(args: string[], input?: string): string {
  return execFileSync('wg', args, { input, encoding: 'utf8' }).trim();
}

describe('WireGuard keys', () => {
  it('generates key pairs that the real `wg pubkey` agrees with', () => {
    for (let i = 0; i < 20; i += 1) {
      const { privateKey, publicKey } = generateKeyPair();
      expect(isWireGuardKey(privateKey)).toBe(true);
      expect(isWireGuardKey(publicKey)).toBe(true);
      expect(wg(['pubkey'], privateKey)).toBe(publicKey);
    }
  });

  it('derives the same public key as `wg pubkey` for keys made by `wg genkey`', () => {
    for (let i = 0; i < 20; i += 1) {
      const privateKey = wg(['genkey']);
      expect(publicKeyFromPrivateKey(privateKey)).toBe(wg(['pubkey'], privateKey));
    }
  });

  it('clamps private keys the way `wg genkey` does', () => {
    const raw = Buffer.from(generateKeyPair().privateKey, 'base64');
    expect(raw[0] & 0b111).toBe(0);
    expect(raw[31] & 0b1100_0000).toBe(0b0100_0000);
  });

  it('refuses a malformed private key without echoing it', () => {
    const almostKey = generateKeyPair().privateKey.slice(0, 40);
    expect(() => publicKeyFromPrivateKey(almostKey)).toThrow(
      'private key must be 32 bytes of standard base64',
    );
    expect(() => publicKeyFromPrivateKey(almostKey)).not.toThrow(almostKey);
  });

  it('generates random 32-byte preshared keys', () => {
    const first = generatePresharedKey();
    expect(isWireGuardKey(first)).toBe(true);
    expect(generatePresharedKey()).not.toBe(first);
  });
});
