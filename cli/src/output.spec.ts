import { colorEnabled } from './output';

describe('colorEnabled', () => {
  it('colours a terminal only', () => {
    expect(colorEnabled({ isTTY: true }, {}, true)).toBe(true);
    expect(colorEnabled({ isTTY: false }, {}, true)).toBe(false);
    expect(colorEnabled({}, {}, true)).toBe(false);
  });

  it('never with NO_COLOR or --no-color; FORCE_COLOR forces it elsewhere', () => {
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' }, true)).toBe(false);
    expect(colorEnabled({ isTTY: true }, {}, false)).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' }, true)).toBe(true);
  });
});
