import { escapeLikePattern } from './like-pattern';

describe('escapeLikePattern', () => {
  it('escapes the LIKE wildcards and the escape character itself', () => {
    expect(escapeLikePattern('50%_off\\now')).toBe('50\\%\\_off\\\\now');
  });

  it('leaves ordinary text alone', () => {
    expect(escapeLikePattern('alice-laptop+1')).toBe('alice-laptop+1');
  });
});
