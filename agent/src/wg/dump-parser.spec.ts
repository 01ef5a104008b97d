import { sha256Hex } from '@wgfleet/protocol';
import { BufferPool } from '../util/buffer-pool';
import { DumpJsonWriter, parseDump } from './dump-parser';

const bytes = (text: string) => Buffer.from(text);

const PRIVATE = 'cPrivateKeyPrivateKeyPrivateKeyPrivateKeyA=';
const PUBLIC = 'XUjCsUyveXX5yIfS9amHaMghhpzmLFeR+pSXH4VZDTY=';
const PEER_A = 'm7JrjY3yHqIpqQeHp6FZp/e+xaF0C149MHPvaCfeYTI=';
const PEER_B = 'qGrG7IXwoY1f1sCyNQH/pXCGJuf/f1SF7gvmpssL+mQ=';
const PSK = 'ySsMZkLj/xL5FtAfcua88yoOl3V+WDdkaxgs8TYF2mE=';

describe('parseDump', () => {
  it('reads wg show <iface> dump, hashing the preshared key and dropping the private key', () => {
    const output = [
      `${PRIVATE}\t${PUBLIC}\t51820\t0x2a`,
      `${PEER_A}\t${PSK}\t203.0.113.5:51820\t10.0.0.2/32,fd00::2/128\t1700000000\t1024\t2048\t25`,
      `${PEER_B}\t(none)\t(none)\t(none)\t0\t0\t0\toff`,
      '',
    ].join('\n');
    const dump = parseDump('wg0', bytes(output), 1420);
    expect(dump).toEqual({
      interface: { name: 'wg0', public_key: PUBLIC, listen_port: 51820, fwmark: 42, mtu: 1420 },
      peers: [
        {
          public_key: PEER_A,
          preshared_key_sha256: sha256Hex(PSK),
          endpoint: '203.0.113.5:51820',
          allowed_ips: ['10.0.0.2/32', 'fd00::2/128'],
          latest_handshake: 1700000000,
          transfer_rx: 1024,
          transfer_tx: 2048,
          persistent_keepalive: 25,
        },
        {
          public_key: PEER_B,
          preshared_key_sha256: null,
          endpoint: null,
          allowed_ips: [],
          latest_handshake: 0,
          transfer_rx: 0,
          transfer_tx: 0,
          persistent_keepalive: 0,
        },
      ],
    });
    expect(JSON.stringify(dump)).not.toContain(PRIVATE);
    expect(JSON.stringify(dump)).not.toContain(PSK);
  });

  it('reads an interface without peers or fwmark', () => {
    expect(parseDump('wg1', bytes(`${PRIVATE}\t${PUBLIC}\t0\toff\n`))).toEqual({
      interface: { name: 'wg1', public_key: PUBLIC, listen_port: 0, fwmark: null, mtu: null },
      peers: [],
    });
  });

  it('refuses output of an unexpected shape instead of guessing', () => {
    expect(() => parseDump('wg0', bytes('garbage'))).toThrow('interface line');
    expect(() => parseDump('wg0', bytes(''))).toThrow('empty');
    expect(() => parseDump('wg0', bytes(`${PRIVATE}\t${PUBLIC}\t1\toff\n${PEER_A}\tx`))).toThrow(
      'peer line 1',
    );
    expect(() => parseDump('wg0', bytes(`${PRIVATE}\t${PUBLIC}\tport\toff`))).toThrow('listen port');
    const quoted = `${PRIVATE}\t${PUBLIC}\t1\toff\n${PEER_A}\t(none)\t"x\t(none)\t0\t0\t0\toff`;
    expect(() => parseDump('wg0', bytes(quoted))).toThrow('peer line 1');
    expect(() => parseDump('wg0', bytes(quoted.replace('"x', 'ü')))).toThrow('peer line 1');
  });

  it('copies numbers as JSON numbers and refuses ones that are not safe integers or keys that are not keys', () => {
    const head = `${PRIVATE}\t${PUBLIC}\t1\toff\n`;
    const peer = (psk: string, rx: string) => `${PEER_A}\t${psk}\t(none)\t10.0.0.2/32\t007\t${rx}\t0\t5`;
    expect(parseDump('wg0', bytes(head + peer('(none)', '9007199254740991'))).peers[0]).toMatchObject({
      latest_handshake: 7,
      transfer_rx: Number.MAX_SAFE_INTEGER,
      persistent_keepalive: 5,
    });
    expect(() => parseDump('wg0', bytes(head + peer('(none)', '9007199254740992')))).toThrow('transfer');
    expect(() => parseDump('wg0', bytes(head + peer('(none)', '-1')))).toThrow('transfer');
    expect(() => parseDump('wg0', bytes(head + peer('(none)', '')))).toThrow('transfer');
    expect(() => parseDump('wg0', bytes(head + peer(PSK.slice(1), '1')))).toThrow('peer line 1');
    expect(() => parseDump('wg0', bytes(head + peer(PSK.replace('y', '*'), '1')))).toThrow('peer line 1');
  });

  /** Feeds `output` to a DumpJsonWriter in pieces of the given sizes (cycled), as a pipe would. */
  function streamed(name: string, output: Buffer, sizes: number[]): string {
    // Small buffers, so the JSON spans many of them.
    const writer = new DumpJsonWriter(name, new BufferPool(4096, 8));
    for (let at = 0, i = 0; at < output.length; i++) {
      const size = sizes[i % sizes.length];
      writer.write(output.subarray(at, at + size));
      at += size;
    }
    return writer.end().toBuffer().toString();
  }

  it('streams the same dump as JSON, whatever the pieces the output arrives in', () => {
    const lines = [`${PRIVATE}\t${PUBLIC}\t51820\toff`];
    for (let i = 0; i < 10_000; i++) {
      const psk = i % 2 ? PSK : '(none)';
      lines.push(
        `${PEER_A}\t${psk}\t203.0.113.5:${i + 1}\t10.${i >> 8}.${i & 255}.2/32,fd00::${i}/128\t${i}\t1\t2\toff`,
      );
    }
    const output = bytes(lines.join('\n') + '\n');
    const expected = parseDump('wg0', output);
    const whole = streamed('wg0', output, [output.length]);
    expect(whole.length).toBeGreaterThan(1024 * 1024);
    expect(JSON.parse(whole)).toEqual(expected);
    expect(JSON.parse(streamed('wg0', output, [65536, 1, 7, 150, 3000]))).toEqual(expected);
    expect(JSON.parse(streamed('wg0', output.subarray(0, output.length - 1), [4096]))).toEqual(expected);
    expect(whole).not.toContain(PRIVATE);
    expect(whole).not.toContain(PSK);
  });

  it('streams an interface without peers, and refuses empty output', () => {
    expect(JSON.parse(streamed('wg9', bytes(`${PRIVATE}\t${PUBLIC}\t1\toff\n`), [3]))).toEqual({
      interface: { name: 'wg9', public_key: PUBLIC, listen_port: 1, fwmark: null, mtu: null },
      peers: [],
    });
    expect(() => new DumpJsonWriter('wg0', new BufferPool(64, 0)).end()).toThrow('empty');
  });
});
