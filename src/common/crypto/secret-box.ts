import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const FORMAT_VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Raised for anything wrong with a sealed value; it says nothing about the key, the context or the plaintext. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

/**
 * Encrypts secrets at rest with AES-256-GCM. Sealed text is `v1.<iv>.<tag>.<ciphertext>` (base64url), the
 * version leaving room for key rotation. The optional context (e.g. "peer:<id>:private_key") is authenticated,
 * so a ciphertext copied to another record or column does not open there.
 */
export class SecretBox {
  private readonly key: Buffer;

  /** @param keyBase64 PANEL_SECRET_KEY as read from the environment: 32 bytes, standard base64. */
  constructor(keyBase64: string | undefined) {
    const trimmed = (keyBase64 ?? '').trim();
    const key = BASE64.test(trimmed) ? Buffer.from(trimmed, 'base64') : null;
    if (!key || key.length !== KEY_BYTES) {
      throw new Error(
        `PANEL_SECRET_KEY must be ${KEY_BYTES} bytes in base64 (generate one with: openssl rand -base64 32)`,
      );
    }
    this.key = key;
  }

  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
    return [FORMAT_VERSION, ...parts].join('.');
  }

  open(sealed: string, context = ''): string {
    const [version, ...parts] = sealed.split('.');
    if (version !== FORMAT_VERSION || parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) {
      throw new SecretBoxError('sealed secret is malformed or of an unknown version');
    }
    const [iv, tag, ciphertext] = parts.map((part) => Buffer.from(part, 'base64url'));
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new SecretBoxError('sealed secret is malformed');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('sealed secret failed authentication (tampered, other key or other record)');
    }
  }
}
