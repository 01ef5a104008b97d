import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';

export const FINGERPRINT_MISMATCH = 'ERR_AGENT_CERT_FINGERPRINT_MISMATCH';

/** "AB:CD:..." or "abcd..." → "abcd...". */
export function normaliseFingerprint(text: string): string {
  return text.replace(/:/g, '').trim().toLowerCase();
}

/**
 * An https.Agent that accepts exactly one certificate, by its SHA-256 fingerprint, so a self-signed agent
 * needs no CA; with a CA as well, the chain and host name are verified too. A checkServerIdentity hook is
 * not enough here: Node skips it when the chain does not verify (always, for a self-signed certificate
 * without a CA). Instead the socket is handed to HTTP only after the fingerprint matched, so no signed
 * request ever reaches an impostor that could replay it.
 */
export class PinnedCertificateAgent extends https.Agent {
  private readonly fingerprint: string;
  private readonly ca: string | undefined;

  constructor(fingerprint: string, options: https.AgentOptions) {
    super(options);
    this.fingerprint = normaliseFingerprint(fingerprint);
    this.ca = typeof options.ca === 'string' ? options.ca : undefined;
  }

  override createConnection(
    options: http.RequestOptions,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const socket = tls.connect({
      ...(options as tls.ConnectionOptions),
      ca: this.ca,
      rejectUnauthorized: this.ca !== undefined,
    });
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      if (error) socket.destroy();
      callback?.(error, socket);
    };
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerCertificate();
      const seen = certificate?.raw ? createHash('sha256').update(certificate.raw).digest('hex') : '';
      if (seen === this.fingerprint) return settle(null);
      const mismatch = new Error(
        `agent TLS certificate does not match the pinned fingerprint (saw ${seen || 'none'})`,
      );
      settle(Object.assign(mismatch, { code: FINGERPRINT_MISMATCH }));
    });
    socket.once('error', settle);
    return undefined;
  }
}
