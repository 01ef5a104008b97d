/**
 * What the agent accepts as an interface name: the Linux limit of 15 bytes and the characters wg-quick
 * allows, never "." or "..", so a name can't escape a directory or be read as an option.
 */
export function isInterfaceName(value: string): boolean {
  return /^[A-Za-z0-9_=+.-]{1,15}$/.test(value) && !/^\.{1,2}$/.test(value) && !value.startsWith('-');
}
