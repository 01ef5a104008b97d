import { checkMemberKey, keyFingerprint } from './member-key';

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');

describe('checkMemberKey', () => {
  it('takes the first member key when the cluster has none', () => {
    expect(checkMemberKey(null, KEY_A)).toEqual({ kind: 'ok', clusterKey: KEY_A, adopted: true });
  });

  it('accepts a node with the cluster key', () => {
    expect(checkMemberKey(KEY_A, KEY_A)).toEqual({ kind: 'ok', clusterKey: KEY_A, adopted: false });
  });

  it('refuses a node with another key, naming both fingerprints and neither key', () => {
    const check = checkMemberKey(KEY_A, KEY_B);
    expect(check).toEqual({
      kind: 'key_differs',
      clusterFingerprint: keyFingerprint(KEY_A),
      nodeFingerprint: keyFingerprint(KEY_B),
    });
    expect(JSON.stringify(check)).not.toContain(KEY_B);
  });

  it('refuses a node whose key the panel does not know yet', () => {
    expect(checkMemberKey(KEY_A, null)).toEqual({ kind: 'node_key_unknown' });
  });
});

describe('keyFingerprint', () => {
  it('is stable and differs between keys', () => {
    expect(keyFingerprint(KEY_A)).toMatch(/^SHA256:[0-9a-f]{16}$/);
    expect(keyFingerprint(KEY_A)).toBe(keyFingerprint(KEY_A));
    expect(keyFingerprint(KEY_A)).not.toBe(keyFingerprint(KEY_B));
  });
});
