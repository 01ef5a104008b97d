import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { isWireGuardKey } from '@wgfleet/protocol';

export interface WireGuardKeyPair {
  privateKey: string;
  publicKey: string;
}

/** PKCS#8 DER header of an X25519 private key; the 32 raw key bytes follow it. */
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** Like `wg genkey` + `wg pubkey`: standard base64 of 32 bytes each (OpenSSL clamps the scalar as wg does). */
export function generateKeyPair(): WireGuardKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return {
    privateKey: rawKeyBase64(privateKey.export({ format: 'jwk' }).d),
    publicKey: rawKeyBase64(publicKey.export({ format: 'jwk' }).x),
  };
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
