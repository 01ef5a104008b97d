import { Command } from 'commander';
import { addFieldOptions, fieldsFrom, NODE_FIELDS } from './field-options';

function parse(...args: string[]) {
  const command = addFieldOptions(new Command('set').exitOverride(), NODE_FIELDS);
  command.parse(args, { from: 'user' });
  return fieldsFrom(command.opts(), NODE_FIELDS);
}

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

  it('refuse a number that is not one', () => {
    expect(() => parse('--override-mtu', 'big')).toThrow(/must be a whole number/);
  });
});
