import * as QRCode from 'qrcode';

export type QrFormat = 'svg' | 'png';

/** A client config as a QR code a phone's WireGuard app scans: SVG text, or PNG bytes. */
export async function clientQr(
  config: string,
  format: QrFormat,
): Promise<{ type: string; body: string | Buffer }> {
  return format === 'png'
    ? { type: 'image/png', body: await QRCode.toBuffer(config, { type: 'png', errorCorrectionLevel: 'M' }) }
    : {
        type: 'image/svg+xml',
        body: await QRCode.toString(config, { type: 'svg', errorCorrectionLevel: 'M' }),
      };
}
