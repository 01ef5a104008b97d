import { AuditVerdict, ChainVerifier, ExportLine } from '@wgfleet/protocol';
import { Client } from 'pg';
import { generateKeyPair } from '../../src/common/crypto/wireguard-keys';
import { ADMIN_TOKEN, TestPanel } from '../support/panel';

/** A node whose agent does not answer (nothing listens on port 9): its peers are still created. */
export const nodeBody = (name: string, addressPool: string) => ({
  name,
  agent_url: 'http://127.0.0.1:9',
  interface: 'wg0',
  endpoint: 'vpn.example.com',
  address_pool: addressPool,
  listen_port: 51820,
  public_key: generateKeyPair().publicKey,
  agent_secret: 'agent-secret-that-is-long-enough-0123456789',
});

/** What an attacker with database access does: a superuser session that switches triggers off. */
export async function tamper(databaseUrl: string, ...statements: string[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`set session_replication_role = replica`);
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function exportLines(panel: TestPanel): Promise<ExportLine[]> {
  const response = await fetch(`${await panel.app.getUrl()}/api/audit/export`, {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  if (response.status !== 200) throw new Error(`export: ${response.status} ${panel.logs().slice(-3000)}`);
  expect(response.headers.get('content-type')).toMatch(/application\/x-ndjson/);
  return (await response.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ExportLine);
}

export function verifyOffline(lines: readonly ExportLine[], pinnedKeys?: string[]): AuditVerdict {
  const verifier = new ChainVerifier(pinnedKeys);
  for (const line of lines) verifier.add(line);
  return verifier.finish();
}

/** Creates `count` peers on a node through the API, `concurrency` requests at a time. */
export async function createPeers(
  panel: TestPanel,
  nodeId: string,
  count: number,
  concurrency = 50,
  prefix = 'p',
): Promise<void> {
  for (let start = 0; start < count; start += concurrency) {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count - start) }, (_, i) =>
        panel
          .as()
          .post(`/api/nodes/${nodeId}/peers`, { name: `${prefix}${start + i}` })
          .expect(201),
      ),
    );
  }
}
