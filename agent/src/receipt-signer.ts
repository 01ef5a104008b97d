import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { interfaceStateDigest, newSigningKeyPair, planHash, signReceipt } from '@wgfleet/protocol';
import type { Dump, NodeReceipt } from '@wgfleet/protocol';

/**
 * Signs receipts with the node's own Ed25519 key (docs/PROTOCOL.md "Receipts"). The key is made on first start
 * in AGENT_RECEIPT_KEY_FILE (0600) and never leaves the node; the panel pins its public half.
 */
export class ReceiptSigner {
  private constructor(
    private readonly privateKey: string,
    readonly publicKey: string,
  ) {}

  /** Reads the key file, or makes it when it does not exist yet. */
  static loadOrCreate(path: string): ReceiptSigner {
    let privateKey: string;
    try {
      privateKey = readFileSync(path, 'utf8').trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      privateKey = newSigningKeyPair().privateKey;
      // 'wx': never overwrite a key another process made meanwhile.
      writeFileSync(path, `${privateKey}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
    }
    const key = createPrivateKey({ key: Buffer.from(privateKey, 'base64'), format: 'der', type: 'pkcs8' });
    const publicKey = createPublicKey(key)
      .export({ format: 'der', type: 'spki' })
      .subarray(12)
      .toString('base64');
    return new ReceiptSigner(privateKey, publicKey);
  }

  /** "Request `requestId` with this body left `iface` in the state of `dump`." */
  sign(iface: string, requestId: string, rawBody: Buffer, dump: Dump): NodeReceipt {
    return signReceipt(this.privateKey, {
      interface: iface,
      request_id: requestId,
      plan_hash: planHash(rawBody),
      state_digest: interfaceStateDigest(dump),
      time: new Date().toISOString(),
    });
  }
}
