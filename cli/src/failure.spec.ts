import { WgfleetApiError, WgfleetUnreachableError } from '@wgfleet/client';
import { CliError } from './exit-codes';
import { describeFailure } from './failure';

describe('describeFailure', () => {
  it('points a 401 at the token and at login', () => {
    const { message, exitCode } = describeFailure(
      new WgfleetApiError(401, 'unauthorized', 'a valid Bearer token is required'),
      'context "prod"',
    );
    expect(exitCode).toBe(1);
    expect(message).toContain('HTTP 401');
    expect(message).toContain('context "prod"');
    expect(message).toContain('wgfleet login');
  });

  it('keeps the role a 403 names and says how to get such a token', () => {
    const { message } = describeFailure(
      new WgfleetApiError(403, 'forbidden', 'this needs a token of role write; yours is read'),
    );
    expect(message).toMatch(/role write; yours is read[\s\S]*wgfleet tokens create/);
  });

  it('lists the fields of a 400', () => {
    const error = new WgfleetApiError(400, 'validation_failed', 'invalid request', [
      { field: 'allowed_ips', message: 'must be CIDRs' },
    ]);
    expect(describeFailure(error).message).toContain('  allowed_ips: must be CIDRs');
  });

  it('names the unreachable panel with the network reason', () => {
    const cause = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const { message } = describeFailure(new WgfleetUnreachableError('http://panel:3000', cause));
    expect(message).toContain('cannot reach the panel at http://panel:3000: fetch failed (ECONNREFUSED)');
  });

  it('keeps the exit code of a CLI error', () => {
    expect(describeFailure(new CliError('stale', 4))).toEqual({ message: 'stale', exitCode: 4 });
  });
});
