import { AuditVerdict, ChainVerifier, Checkpoint, ExportLine } from '@wgfleet/protocol';
import { CliError } from './exit-codes';

/**
 * Checkpoints kept by a third party, in any form the panel hands them out: NDJSON of checkpoints or of
 * `audit.checkpoint` webhook bodies, or the `{items:[...]}` answer of GET /api/audit/checkpoints.
 */
export function parseCheckpoints(text: string, source: string): Checkpoint[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const documents: unknown[] = [];
  try {
    documents.push(JSON.parse(trimmed));
  } catch {
    trimmed.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        documents.push(JSON.parse(line));
      } catch {
        throw new CliError(`${source}: line ${i + 1} is not JSON`);
      }
    });
  }
  return documents.flatMap((document) => {
    const items = (document as { items?: unknown }).items;
    return (Array.isArray(items) ? items : [document]).map((item) => asCheckpoint(item, source));
  });
}

function asCheckpoint(value: unknown, source: string): Checkpoint {
  const item = value as { type?: unknown; data?: unknown };
  const candidate = (item?.type === 'audit.checkpoint' ? item.data : value) as Partial<Checkpoint> | null;
  if (
    typeof candidate?.seq !== 'number' ||
    typeof candidate.hash !== 'string' ||
    typeof candidate.time !== 'string' ||
    typeof candidate.signature !== 'string' ||
    typeof candidate.key_id !== 'string'
  ) {
    throw new CliError(`${source}: not a checkpoint {seq, hash, time, signature, key_id}`);
  }
  const { seq, hash, time, signature, key_id } = candidate;
  return { seq, hash, time, signature, key_id };
}

/**
 * Verifies an export read line by line. The export's own checkpoints come before its events, and the extra
 * ones (a third party's copies) before both; a line that is not JSON is an error, not a verdict.
 */
export async function verifyExport(
  lines: AsyncIterable<string>,
  extraCheckpoints: readonly Checkpoint[],
  pinnedKeys: readonly string[] | undefined,
): Promise<AuditVerdict> {
  const verifier = new ChainVerifier(pinnedKeys && pinnedKeys.length > 0 ? pinnedKeys : undefined);
  for (const checkpoint of extraCheckpoints) verifier.addCheckpoint(checkpoint);
  let number = 0;
  for await (const text of lines) {
    number++;
    if (text.trim() === '') continue;
    let line: ExportLine;
    try {
      line = JSON.parse(text) as ExportLine;
    } catch {
      throw new CliError(`line ${number} is not JSON: is this a file from \`wgfleet audit export\`?`);
    }
    verifier.add(line);
  }
  return verifier.finish();
}
