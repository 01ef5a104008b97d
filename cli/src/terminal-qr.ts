import QRCode from 'qrcode';

/** A QR code drawn for a terminal, and the character cells it takes. */
export interface TerminalQr {
  text: string;
  columns: number;
  rows: number;
}

/**
 * Draws `text` as a QR code with half-block characters: one character per module across and two modules per
 * row, so the modules stay square in a terminal's tall cells and the code takes half the rows of a full-block
 * drawing. Error correction level L, the least redundancy, gives the smallest code: a code on a screen is
 * sharp and flat, which is what L is for (`qrencode`, which the WireGuard documentation uses, does the same).
 * A client config with a private key, preshared key, DNS and MTU still needs 67 × 34 cells; a config
 * holds too many random bytes for any scannable code to fit 80 × 24.
 */
export async function terminalQr(text: string): Promise<TerminalQr> {
  const options = { errorCorrectionLevel: 'L' } as const;
  const drawn = await QRCode.toString(text, { ...options, type: 'terminal', small: true });
  // The renderer draws a one-module light border on every side.
  const size = QRCode.create(text, options).modules.size + 2;
  return { text: drawn, columns: size, rows: Math.ceil(size / 2) };
}

/**
 * What to tell a user whose terminal cannot show the whole code (`rows` and `columns` of the terminal; unknown
 * when the output is not one). One row stays for the shell's prompt after the code.
 */
export function qrTooLargeNote(
  qr: Pick<TerminalQr, 'columns' | 'rows'>,
  terminal: { columns?: number; rows?: number },
): string | null {
  const { columns, rows } = terminal;
  if (columns === undefined || rows === undefined) return null;
  if (qr.columns <= columns && qr.rows + 1 <= rows) return null;
  return (
    `the QR code needs a terminal of at least ${qr.columns} × ${qr.rows + 1} characters; this one is ` +
    `${columns} × ${rows}, so part of it is cut off: enlarge the window or make its font smaller, then run ` +
    `this again`
  );
}
