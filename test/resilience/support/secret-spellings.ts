/** The forms a secret could take in text: as given, and a key's bytes as base64url and hex. */
export function spellings(secret: string): string[] {
  const forms = [secret];
  if (/^[A-Za-z0-9+/]{43}=$/.test(secret)) {
    const bytes = Buffer.from(secret, 'base64');
    forms.push(bytes.toString('base64url'), bytes.toString('hex'));
  }
  return forms;
}
