import { stripVTControlCharacters } from 'node:util';
import QRCode from 'qrcode';
import { qrTooLargeNote, terminalQr } from './terminal-qr';

const KEY = 'aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd29y=';
/** The largest config the panel writes: private and preshared key, DNS, MTU and keepalive. */
const FULL_CONFIG = [
  '# alice-phone',
  '[Interface]',
  `PrivateKey = ${KEY}`,
  'Address = 10.8.0.12/32',
  'DNS = 1.1.1.1, 1.0.0.1',
  'MTU = 1420',
  '',
  '[Peer]',
  `PublicKey = ${KEY}`,
  `PresharedKey = ${KEY}`,
  'Endpoint = vpn.example.com:51820',
  'AllowedIPs = 0.0.0.0/0, ::/0',
  'PersistentKeepalive = 25',
  '',
].join('\n');

/** Reads a half-block drawing back into rows of modules (true: dark), without the light border. */
function modulesOf(drawing: string): boolean[][] {
  const lines = stripVTControlCharacters(drawing)
    .split('\n')
    .filter((line) => line.length > 0);
  const rows: boolean[][] = [];
  for (const line of lines) {
    const chars = [...line];
    rows.push(chars.map((c) => c === '█' || c === '▀'));
    rows.push(chars.map((c) => c === '█' || c === '▄'));
  }
  return rows.slice(1, -1).map((row) => row.slice(1, -1));
}

describe('terminalQr', () => {
  it('draws two modules per row, and the drawing is exactly the QR code of the config', async () => {
    const qr = await terminalQr(FULL_CONFIG);
    const code = QRCode.create(FULL_CONFIG, { errorCorrectionLevel: 'L' });
    const size = code.modules.size;
    const expected = Array.from({ length: size }, (_, y) =>
      Array.from({ length: size }, (_, x) => code.modules.get(y, x) === 1),
    );
    const drawn = modulesOf(qr.text);
    // An odd size leaves one light half row under the code, which is border.
    expect(drawn.slice(0, size)).toEqual(expected);
    expect(qr).toMatchObject({ columns: size + 2, rows: Math.ceil((size + 2) / 2) });
    expect(
      stripVTControlCharacters(qr.text)
        .split('\n')
        .filter((line) => line).length,
    ).toBe(qr.rows);
  });

  it('uses error correction L: the largest config takes 34 rows instead of 38 at the default level M', async () => {
    expect(await terminalQr(FULL_CONFIG)).toMatchObject({ columns: 67, rows: 34 });
    const atM = QRCode.create(FULL_CONFIG, { errorCorrectionLevel: 'M' }).modules.size + 2;
    expect(Math.ceil(atM / 2)).toBe(38);
  });
});

describe('qrTooLargeNote', () => {
  const qr = { columns: 67, rows: 34 };

  it('says nothing when the code and a prompt line fit, or when the output is no terminal', () => {
    expect(qrTooLargeNote(qr, { columns: 67, rows: 35 })).toBeNull();
    expect(qrTooLargeNote(qr, {})).toBeNull();
  });

  it('names the size needed and the terminal’s when the code does not fit', () => {
    expect(qrTooLargeNote(qr, { columns: 80, rows: 24 })).toBe(
      'the QR code needs a terminal of at least 67 × 35 characters; this one is 80 × 24, so part of it is cut ' +
        'off: enlarge the window or make its font smaller, then run this again',
    );
    expect(qrTooLargeNote(qr, { columns: 60, rows: 50 })).toContain('this one is 60 × 50');
  });
});
