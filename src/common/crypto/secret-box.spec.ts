import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from './secret-box';

const keyBase64 = randomBytes(32).toString('base64');
const secret = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';

describe('SecretBox', () => {
  const box = new SecretBox(keyBase64);

  it('opens what it sealed, with or without a context', () => {
    expect(box.open(box.seal(secret))).toBe(secret);
    expect(box.open(box.seal(secret, 'peer:1:private_key'), 'peer:1:private_key')).toBe(secret);
    expect(box.open(box.seal('ünïcode ✓'))).toBe('ünïcode ✓');
  });

  it('writes a versioned base64url format with a fresh IV each time', () => {
    const sealed = box.seal(secret);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(secret);
    expect(box.seal(secret)).not.toBe(sealed);
  });

  it('does not open under another context, so a ciphertext cannot move to another record', () => {
    const sealed = box.seal(secret, 'peer:1:private_key');
    expect(() => box.open(sealed, 'peer:2:private_key')).toThrow(SecretBoxError);
    expect(() => box.open(sealed)).toThrow(SecretBoxError);
  });

  it('does not open with another key', () => {
    const other = new SecretBox(randomBytes(32).toString('base64'));
    expect(() => other.open(box.seal(secret))).toThrow(SecretBoxError);
  });

  it('detects tampering without revealing the plaintext or the key', () => {
    const [version, iv, tag, ciphertext] = box.seal(secret).split('.');
    const flipped = Buffer.from(ciphertext, 'base64url');
    flipped[0] ^= 1;
    const tampered = [
      [version, iv, tag, flipped.toString('base64url')],
      [version, iv, Buffer.alloc(16).toString('base64url'), ciphertext],
      [version, Buffer.alloc(12).toString('base64url'), tag, ciphertext],
    ];
    for (const parts of tampered) {
      let message = '';
      try {
        box.open(parts.join('.'));
      } catch (error) {
        expect(error).toBeInstanceOf(SecretBoxError);
        message = String(error) + JSON.stringify(error);
      }
      expect(message).toMatch(/failed authentication/);
      expect(message).not.toContain(secret);
      expect(message).not.toContain(keyBase64);
    }
  });

  it('rejects malformed and unknown-version input', () => {
    const [, iv, tag, ciphertext] = box.seal(secret).split('.');
    for (const bad of [
      '',
      'v1',
      `v2.${iv}.${tag}.${ciphertext}`,
      `v1.${iv}.${tag}`,
      `v1.${iv}.x.${ciphertext}`,
      `v1.${iv}.${tag}.${ciphertext}=`,
    ]) {
      expect(() => box.open(bad)).toThrow(SecretBoxError);
    }
  });

  it('requires a 32-byte base64 key and says so without echoing it', () => {
    const short = randomBytes(16).toString('base64');
    for (const bad of [undefined, '', short, 'not base64 at all!', randomBytes(33).toString('base64')]) {
      expect(() => new SecretBox(bad)).toThrow('PANEL_SECRET_KEY must be 32 bytes in base64');
    }
    expect(() => new SecretBox(short)).not.toThrow(short);
    expect(() => new SecretBox(`${keyBase64}\n`)).not.toThrow();
  });
});
