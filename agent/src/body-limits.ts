/** Largest request body of every other route (one peer, a setting, a batch the panel splits to fit). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Largest body of `syncconf`, which carries a node's whole peer set in one request (a batch can be split, an
 * atomic replacement cannot): a 20,000-peer set with preshared keys and two allowed IPs each is about 4.5 MB, so 16 MiB leaves room for
 * peers with many allowed IPs. Only that route takes it, and its requests are refused before their body is read
 * when the request cannot be a signed one (see `bulkBodyGate`).
 */
export const BULK_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

export function describeLimit(bytes: number): string {
  return `${bytes} bytes (${bytes / (1024 * 1024)} MiB)`;
}
