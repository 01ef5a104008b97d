/** A public key shortened for a table: enough to tell keys apart, the full key is in `-o json`. */
export function shortKey(key: string | null | undefined): string {
  if (!key) return '-';
  return key.length > 12 ? key.slice(0, 10) + '…' : key;
}
