import { hash, randomBytes } from 'node:crypto';
import { PresharedKeyDigests } from './preshared-key-digests';

const sha256 = (key: Buffer) => hash('sha256', key, 'hex');

describe('PresharedKeyDigests', () => {
  it('gives the SHA-256 of a key read at an offset, the same on a second look-up', () => {
    const digests = new PresharedKeyDigests();
    const line = Buffer.concat([Buffer.from('prefix'), randomBytes(32), Buffer.from('rest')]);
    const key = line.subarray(6, 38);
    expect(digests.digestOf(line, 6).toString('hex')).toBe(sha256(key));
    expect(digests.digestOf(line, 6).toString('hex')).toBe(sha256(key));
  });

  it('stays right while it grows and after it starts afresh at its largest size', () => {
    const digests = new PresharedKeyDigests();
    // More keys than its largest table keeps, each looked up twice: growth, the reset and hits are all crossed.
    const keys = Array.from({ length: 40_000 }, () => randomBytes(32));
    const expected = keys.map(sha256);
    const lookUp = () => keys.map((key) => digests.digestOf(key, 0).toString('hex'));
    expect(lookUp()).toEqual(expected);
    expect(lookUp()).toEqual(expected);
  });

  it('tells apart keys that pick the same slot', () => {
    const digests = new PresharedKeyDigests();
    const first = randomBytes(32);
    const second = Buffer.from(first);
    second[31] ^= 1;
    expect(digests.digestOf(first, 0).toString('hex')).toBe(sha256(first));
    expect(digests.digestOf(second, 0).toString('hex')).toBe(sha256(second));
    expect(digests.digestOf(first, 0).toString('hex')).toBe(sha256(first));
  });
});
