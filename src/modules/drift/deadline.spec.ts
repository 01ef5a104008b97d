import { withDeadline } from './deadline';

describe('withDeadline', () => {
  it('gives the result of work that finishes in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 1000, () => new Error('late'))).resolves.toBe(7);
  });

  it('passes on the failure of work that fails in time', async () => {
    await expect(
      withDeadline(Promise.reject(new Error('boom')), 1000, () => new Error('late')),
    ).rejects.toThrow('boom');
  });

  it('rejects with the timeout error when work takes too long', async () => {
    const slow = new Promise((resolve) => setTimeout(resolve, 500, 'done'));
    const started = Date.now();
    await expect(withDeadline(slow, 30, () => new Error('late'))).rejects.toThrow('late');
    expect(Date.now() - started).toBeLessThan(400);
  });
});
