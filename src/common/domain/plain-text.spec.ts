import { hasLineBreakOrControl } from './plain-text';

describe('hasLineBreakOrControl', () => {
  it('finds every kind of line break', () => {
    for (const lineBreak of ['\n', '\r', '\u000b', '\u000c', '\u0085', '\u2028', '\u2029']) {
      expect(hasLineBreakOrControl(`alice${lineBreak}PostUp = id`)).toBe(true);
    }
  });

  it('finds other control characters', () => {
    for (const control of ['\u0000', '\t', '\u001b', '\u007f', '\u009b']) {
      expect(hasLineBreakOrControl(`a${control}b`)).toBe(true);
    }
  });

  it('leaves ordinary text alone, any script or emoji included', () => {
    for (const text of ['alice laptop', 'Zoë’s phone', '東京-1', '🛡️🔥', 'e\u0301', 'a\u202eb']) {
      expect(hasLineBreakOrControl(text)).toBe(false);
    }
  });
});
