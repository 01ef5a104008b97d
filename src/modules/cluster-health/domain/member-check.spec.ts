import { endpointAddress, judgeMember, MemberObservation } from './member-check';

const KEY = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const good: MemberObservation = {
  answered: true,
  interfacePublicKey: KEY,
  listenPort: 51820,
  pendingChanges: 0,
};

describe('judgeMember', () => {
  it('passes a listening member with the cluster key and nothing pending', () => {
    expect(judgeMember(good, KEY)).toBeNull();
  });

  it('names the first problem', () => {
    expect(judgeMember({ ...good, answered: false }, KEY)).toBe('no_answer');
    expect(judgeMember({ ...good, listenPort: 0 }, KEY)).toBe('not_listening');
    expect(judgeMember({ ...good, interfacePublicKey: KEY.toLowerCase() }, KEY)).toBe('wrong_key');
    expect(judgeMember({ ...good, interfacePublicKey: ` ${KEY}` }, KEY)).toBe('wrong_key');
    expect(judgeMember(good, null)).toBe('wrong_key');
    expect(judgeMember({ ...good, pendingChanges: 2 }, KEY)).toBe('out_of_sync');
  });
});

describe('endpointAddress', () => {
  it('takes the IP literal of an endpoint, and refuses a name', () => {
    expect(endpointAddress('198.51.100.7:51820')).toBe('198.51.100.7');
    expect(endpointAddress('198.51.100.7')).toBe('198.51.100.7');
    expect(endpointAddress('[2001:db8::7]:51820')).toBe('2001:db8::7');
    expect(endpointAddress('2001:db8::7')).toBe('2001:db8::7');
    expect(endpointAddress('vpn.example.com:51820')).toBeNull();
  });
});
