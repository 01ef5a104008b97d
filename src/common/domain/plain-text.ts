/**
 * Control characters (C0, DEL and C1, which hold \r, \n, \v, \f and U+0085) and the Unicode line and paragraph
 * separators U+2028/U+2029: anything a line-based reader (wg-quick, a log viewer, a terminal) may take as a
 * line break or a command.
 */
const LINE_BREAK_OR_CONTROL = /[\p{Cc}\u2028\u2029]/u;

/** True when `text` holds a line break or another control character. */
export function hasLineBreakOrControl(text: string): boolean {
  return LINE_BREAK_OR_CONTROL.test(text);
}
