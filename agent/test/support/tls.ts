/** Throwaway TLS material for tests: a self-signed certificate for 127.0.0.1/localhost, made with openssl. */
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './wg-interface';

export interface TestCertificate {
  /** PEM; also usable as the CA that trusts itself. */
  cert: string;
  key: string;
  /** SHA-256 fingerprint as Node prints it ("AB:CD:..."). */
  fingerprint256: string;
}

export async function generateSelfSignedCert(commonName = 'wgfleet-agent-test'): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'wgfleet-tls-'));
  try {
    const [certFile, keyFile] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]);
    const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    return { cert, key, fingerprint256: new X509Certificate(cert).fingerprint256 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
