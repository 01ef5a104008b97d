import { Client } from 'pg';

/**
 * Invariants of what the panel stores, checked straight in PostgreSQL: every projection row matches the
 * event log it was built from, and every scan is complete. Each query counts violations; all must be 0.
 */
const INVARIANTS: Record<string, string> = {
  'peer rows without their peer.created event': `select count(*) from peers p
     where not exists (select 1 from events e where e.aggregate_id = p.id and e.type = 'peer.created')`,
  'peer.created events without a row (no peer was deleted)': `select count(*) from events e
     where e.type = 'peer.created' and not exists (select 1 from peers p where p.id = e.aggregate_id)
       and not exists (select 1 from events d where d.aggregate_id = e.aggregate_id and d.type = 'peer.deleted')`,
  'peers whose version is not their last event': `select count(*) from peers p
     where p.version <> (select max(e.version) from events e where e.aggregate_id = p.id)`,
  'nodes whose version is not their last event': `select count(*) from nodes n
     where n.version <> (select max(e.version) from events e where e.aggregate_id = n.id)`,
  'peers without an address allocation': `select count(*) from peers p
     where not exists (select 1 from ip_allocations a where a.peer_id = p.id)`,
  'addresses allocated twice': `select count(*) from (select node_id, address from ip_allocations
     group by node_id, address having count(*) > 1) duplicated`,
  'drift states pointing at a missing scan': `select count(*) from node_drift_state s
     where not exists (select 1 from drift_scans d where d.id = s.last_scan_id)`,
  'scans without a report': `select count(*) from drift_scans s where summary is null
     or not exists (select 1 from drift_reports r where r.id = s.report_id)`,
};

export async function consistencyViolations(databaseUrl: string): Promise<Record<string, number>> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const violations: Record<string, number> = {};
    for (const [name, sql] of Object.entries(INVARIANTS)) {
      const { rows } = await db.query<{ count: string }>(sql);
      violations[name] = Number(rows[0].count);
    }
    return violations;
  } finally {
    await db.end();
  }
}

export function noViolations(): Record<string, number> {
  return Object.fromEntries(Object.keys(INVARIANTS).map((name) => [name, 0]));
}
