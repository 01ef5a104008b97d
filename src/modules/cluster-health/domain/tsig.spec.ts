import { createHmac } from 'node:crypto';
import * as dnsPacket from 'dns-packet';
import { addressSetUpdate, isInZone, wireName } from './dns-wire';
import { signTsig, TsigKey, verifyTsigAnswer } from './tsig';

const key: TsigKey = {
  name: 'panel-key',
  algorithm: 'hmac-sha256',
  secret: Buffer.alloc(32, 7).toString('base64'),
};
const NOW = 1_796_000_000;

function update(): Buffer {
  return addressSetUpdate({
    id: 0x1234,
    zone: 'example.test',
    host: 'vpn.example.test',
    ttl: 30,
    addresses: ['192.0.2.1', '2001:db8::1'],
  });
}

describe('addressSetUpdate', () => {
  it('is an UPDATE whose update section deletes both address RRsets and adds each address', () => {
    // dns-packet cannot decode a delete (it reads 4 address octets from an empty RDATA), so the bytes are spelled out.
    const owner = wireName('vpn.example.test');
    const rr = (type: number, klass: number, ttl: number, rdata: number[]) =>
      Buffer.concat([owner, Buffer.from([0, type, 0, klass, 0, 0, 0, ttl, 0, rdata.length, ...rdata])]);
    const v6 = [0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), 1];
    expect(update()).toEqual(
      Buffer.concat([
        Buffer.from([0x12, 0x34, 0x28, 0x00, 0, 1, 0, 0, 0, 4, 0, 0]),
        wireName('example.test'),
        Buffer.from([0, 6, 0, 1]),
        rr(1, 255, 0, []),
        rr(28, 255, 0, []),
        rr(1, 1, 30, [192, 0, 2, 1]),
        rr(28, 1, 30, v6),
      ]),
    );
  });

  it('never encodes an empty set or a non-address', () => {
    expect(() =>
      addressSetUpdate({ id: 1, zone: 'a.test', host: 'b.a.test', ttl: 5, addresses: [] }),
    ).toThrow(/at least one/);
    expect(() =>
      addressSetUpdate({ id: 1, zone: 'a.test', host: 'b.a.test', ttl: 5, addresses: ['vpn.a.test'] }),
    ).toThrow(/not an IP/);
  });
});

describe('wireName / isInZone', () => {
  it('lowercases, drops the final dot and refuses over-long labels', () => {
    expect(wireName('VPN.Example.test.')).toEqual(Buffer.from('\x03vpn\x07example\x04test\x00', 'latin1'));
    expect(() => wireName(`${'a'.repeat(64)}.test`)).toThrow(/label/);
  });

  it('tells a name inside the zone from a look-alike outside it', () => {
    expect(isInZone('vpn.example.test', 'example.test.')).toBe(true);
    expect(isInZone('example.test', 'example.test')).toBe(true);
    expect(isInZone('vpn.badexample.test', 'example.test')).toBe(false);
  });
});

describe('signTsig', () => {
  it('appends a TSIG RR whose MAC is HMAC-SHA256 over the message and the RFC 8945 variables', () => {
    const message = dnsPacket.encode({
      type: 'query',
      id: 7,
      questions: [{ type: 'A', name: 'vpn.example.test' }],
    });
    const { message: signed, requestMac } = signTsig(message, key, NOW, 300);
    const decoded = dnsPacket.decode(signed);
    expect(decoded.additionals).toHaveLength(1);
    const tsig = decoded.additionals?.[0];
    expect(tsig?.type).toBe('TSIG');
    expect(tsig?.name).toBe('panel-key');
    const variables = Buffer.concat([
      wireName('panel-key'),
      Buffer.from([0, 255, 0, 0, 0, 0]),
      wireName('hmac-sha256'),
      Buffer.from([0, 0, 0x6b, 0x0c, 0xc9, 0x00]), // 1_796_000_000 as 48 bits
      Buffer.from([1, 44, 0, 0, 0, 0]),
    ]);
    const expected = createHmac('sha256', Buffer.from(key.secret, 'base64'))
      .update(message)
      .update(variables)
      .digest();
    expect(requestMac).toEqual(expected);
    expect(signed.subarray(0, message.length).subarray(12)).toEqual(message.subarray(12));
  });
});

describe('verifyTsigAnswer', () => {
  it('accepts the answer signed with the same key over the request MAC', () => {
    const { requestMac } = signTsig(update(), key, NOW);
    const answer = buildAnswer(requestMac, key, NOW);
    expect(verifyTsigAnswer(answer, key, requestMac, NOW + 2)).toEqual({ ok: true });
  });

  it('refuses an unsigned answer, a tampered one, another key, a stale one and garbage', () => {
    const { requestMac } = signTsig(update(), key, NOW);
    const answer = buildAnswer(requestMac, key, NOW);
    const unsigned = Buffer.from(answer.subarray(0, 12 + wireName('example.test').length + 4));
    unsigned.writeUInt16BE(0, 10);
    expect(verifyTsigAnswer(unsigned, key, requestMac, NOW)).toEqual({ ok: false, reason: 'unsigned' });
    const tampered = Buffer.from(answer);
    tampered[3] ^= 0x01;
    expect(verifyTsigAnswer(tampered, key, requestMac, NOW)).toEqual({ ok: false, reason: 'bad mac' });
    const other = { ...key, secret: Buffer.alloc(32, 9).toString('base64') };
    expect(verifyTsigAnswer(answer, other, requestMac, NOW)).toEqual({ ok: false, reason: 'bad mac' });
    expect(verifyTsigAnswer(answer, key, requestMac, NOW + 301)).toEqual({ ok: false, reason: 'time' });
    expect(verifyTsigAnswer(answer.subarray(0, answer.length - 3), key, requestMac, NOW).ok).toBe(false);
    expect(verifyTsigAnswer(Buffer.alloc(5), key, requestMac, NOW)).toEqual({
      ok: false,
      reason: 'unsigned',
    });
  });
});

/** An UPDATE answer (header + zone section) with a TSIG RR computed independently of verifyTsigAnswer. */
function buildAnswer(requestMac: Buffer, answerKey: TsigKey, timeSigned: number): Buffer {
  const zone = Buffer.concat([wireName('example.test'), Buffer.from([0, 6, 0, 1])]);
  const header = Buffer.from([0x12, 0x34, 0xa8, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  const body = Buffer.concat([header, zone]);
  const time = Buffer.alloc(6);
  time.writeUIntBE(timeSigned, 0, 6);
  const macInput = Buffer.concat([
    Buffer.from([0, requestMac.length]),
    requestMac,
    body,
    wireName(answerKey.name),
    Buffer.from([0, 255, 0, 0, 0, 0]),
    wireName('hmac-sha256'),
    time,
    Buffer.from([1, 44, 0, 0, 0, 0]),
  ]);
  const mac = createHmac('sha256', Buffer.from(answerKey.secret, 'base64')).update(macInput).digest();
  const rdata = Buffer.concat([
    wireName('hmac-sha256'),
    time,
    Buffer.from([1, 44, 0, 32]),
    mac,
    Buffer.from([0x12, 0x34, 0, 0, 0, 0]),
  ]);
  const rr = Buffer.concat([
    wireName(answerKey.name),
    Buffer.from([0, 250, 0, 255, 0, 0, 0, 0, 0, rdata.length]),
    rdata,
  ]);
  const answer = Buffer.concat([body, rr]);
  answer.writeUInt16BE(1, 10);
  return answer;
}
