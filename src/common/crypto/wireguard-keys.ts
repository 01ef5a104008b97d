import { randomBytes } from 'node:crypto';
import { publicKeyFromPrivateKey } from '@wgfleet/protocol';

export { publicKeyFromPrivateKey };

export interface WireGuardKeyPair {
  privateKey: string;
  publicKey: string;
}

/**
 * Like `wg genkey` + `wg pubkey`: standard base64 of 32 bytes each, the private scalar clamped as wg (and
 * OpenSSL's own X25519 key generation) does. Not `generateKeyPairSync`: on Node 20 its key generation job,
 * collected by a garbage collection that a JWK export of the same key triggers, locks the key's mutex which the
 * export already holds, and the panel's thread waits on itself for good (seen under a fleet-wide creation load).
 */
export function generateKeyPair(): WireGuardKeyPair {
  const secret = randomBytes(32);
  secret[0] &= 248;
  secret[31] = (secret[31] & 127) | 64;
  const privateKey = secret.toString('base64');
  return { privateKey, publicKey: publicKeyFromPrivateKey(privateKey) };
}

/** Like `wg genpsk`. */
export function generatePresharedKey(): string {
  return randomBytes(32).toString('base64');
}
