import { viaOf } from './actor';

describe('viaOf', () => {
  it.each([
    ['cli/0.1.0', 'cli'],
    ['CLI/2', 'cli'],
    ['console/0.1.0', 'console'],
    ['console', 'console'],
    ['curl/8.5.0', 'api'],
    ['cli-ish/1', 'api'],
    ['', 'api'],
  ])('%j → %s', (header, via) => {
    expect(viaOf(header)).toBe(via);
  });

  it('is api without the header or when it is sent twice', () => {
    expect(viaOf(undefined)).toBe('api');
    expect(viaOf(['cli/1', 'console/1'])).toBe('api');
  });
});
