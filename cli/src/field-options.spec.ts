import { Command } from 'commander';
import { templatePin } from './commands/nodes';
import {
  addFieldOptions,
  FieldOption,
  fieldsFrom,
  NODE_FIELDS,
  PEER_FIELDS,
  TEMPLATE_FIELDS,
} from './field-options';

function parseWith<Body>(fields: FieldOption<Body>[], ...args: string[]) {
  const command = addFieldOptions(new Command('set').exitOverride(), fields);
  command.parse(args, { from: 'user' });
  return fieldsFrom(command.opts(), fields);
}

const parse = (...args: string[]) => parseWith(NODE_FIELDS, ...args);
const parsePeer = (...args: string[]) => parseWith(PEER_FIELDS, ...args);
const parseTemplate = (...args: string[]) => parseWith(TEMPLATE_FIELDS, ...args);

describe('field options', () => {
  it('send only the fields given, parsed to their API types', () => {
    expect(parse('--override-mtu', '1380', '--override-dns', '9.9.9.9, 1.1.1.1')).toEqual({
      override_mtu: 1380,
      override_dns: ['9.9.9.9', '1.1.1.1'],
    });
  });

  it('send null for `none`, which clears an override', () => {
    expect(parse('--override-dns', 'none', '--override-keepalive', 'none')).toEqual({
      override_dns: null,
      override_keepalive: null,
    });
  });

  it("set and clear a site's routed networks and endpoint", () => {
    expect(
      parsePeer('--routed-ips', '192.168.60.0/24,192.168.61.0/24', '--endpoint', '203.0.113.9:51820'),
    ).toEqual({
      routed_ips: ['192.168.60.0/24', '192.168.61.0/24'],
      endpoint: '203.0.113.9:51820',
    });
    expect(parsePeer('--routed-ips', 'none', '--endpoint', 'none')).toEqual({
      routed_ips: [],
      endpoint: null,
    });
  });

  it('refuse a number that is not one', () => {
    expect(() => parse('--override-mtu', 'big')).toThrow(/must be a whole number/);
  });

  it("read a template's settings: overrides like a node's, route presets, interface settings", () => {
    expect(
      parseTemplate(
        '--override-keepalive',
        '25',
        '--client-routes',
        'split:10.0.0.0/8, 192.168.1.0/24',
        '--client-dns-search',
        'corp.example',
        '--interface-mtu',
        '1380',
        '--fwmark',
        'none',
      ),
    ).toEqual({
      override_keepalive: 25,
      client_routes: { mode: 'split', networks: ['10.0.0.0/8', '192.168.1.0/24'] },
      client_dns_search: ['corp.example'],
      interface_mtu: 1380,
      fwmark: null,
    });
    expect(parseTemplate('--client-routes', 'full')).toEqual({ client_routes: { mode: 'full' } });
    expect(parseTemplate('--client-routes', 'none')).toEqual({ client_routes: null });
    expect(() => parseTemplate('--client-routes', 'split:')).toThrow(/must be full, split:/);
  });
});

describe('templatePin', () => {
  it('reads name, name@version and none', () => {
    expect(templatePin('branch')).toEqual({ template: 'branch' });
    expect(templatePin('branch@3')).toEqual({ template: 'branch', version: 3 });
    expect(templatePin('me@corp')).toEqual({ template: 'me@corp' });
    expect(templatePin('none')).toBeNull();
  });
});
