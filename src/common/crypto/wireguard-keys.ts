import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { isWireGuardKey } from '@wgfleet/protocol';

export interface WireGuardKeyPair {
  privateKey: string;
  publicKey: string;
}

/** PKCS#8 DER header of an X25519 private key; the 32 raw key bytes follow it. */
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

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

/** Like `wg pubkey`. The error never contains the private key. */
export function publicKeyFromPrivateKey(privateKey: string): string {
  if (!isWireGuardKey(privateKey)) throw new Error('private key must be 32 bytes of standard base64');
  const der = Buffer.concat([X25519_PKCS8_PREFIX, Buffer.from(privateKey, 'base64')]);
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return rawKeyBase64(createPublicKey(key).export({ format: 'jwk' }).x);
}

/** Like `wg genpsk`. */
export function generatePresharedKey(): string {
  return randomBytes(32).toString('base64');
}

function rawKeyBase64(jwkComponent: string | undefined): string {
  if (!jwkComponent) throw new Error('X25519 key export returned no key material');
  return Buffer.from(jwkComponent, 'base64url').toString('base64');
}
