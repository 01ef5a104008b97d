/**
 * Escapes `%`, `_` and `\` so user text matches literally inside a SQL LIKE / ILIKE pattern
 * (PostgreSQL's default escape character is `\`).
 */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
