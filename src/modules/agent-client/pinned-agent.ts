import { createHash } from 'node:crypto';
import * as https from 'node:https';
import * as http from 'node:http';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';

export function normaliseFingerprint(text: string): string {
  return text.replace(/:/g, '').toLowerCase();
}

/**
 * An https.Agent that trusts exactly one certificate, by its SHA-256 fingerprint (self-signed agents need no
 * CA). The socket is handed to HTTP only after the fingerprint matched, so nothing is sent to an impostor.
 */
export class PinnedCertificateAgent extends https.Agent {
  private readonly fingerprint: string;

  constructor(fingerprint: string, options: https.AgentOptions) {
    super({ ...options, rejectUnauthorized: false });
    this.fingerprint = normaliseFingerprint(fingerprint);
  }

  override createConnection(
    options: http.RequestOptions,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const socket = tls.connect({ ...(options as tls.ConnectionOptions), rejectUnauthorized: false });
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
      settle(
        seen === this.fingerprint
          ? null
          : new Error(`agent TLS certificate does not match the pinned fingerprint (saw ${seen || 'none'})`),
      );
    });
    socket.once('error', settle);
    return undefined;
  }
}
