import { MemoryReclaimer } from './memory-reclaimer';

describe('MemoryReclaimer', () => {
  let used: number;
  const collect = jest.fn(() => (used = 10));
  const reclaimer = () => new MemoryReclaimer(collect, { idleMs: 100, growthBytes: 50, measure: () => used });

  beforeEach(() => {
    jest.useFakeTimers();
    collect.mockClear();
    used = 10;
  });
  afterEach(() => jest.useRealTimers());

  it('collects once the agent has been idle for idleMs after the heap grew', () => {
    const subject = reclaimer();
    const first = subject.begin();
    const second = subject.begin();
    used = 100;
    first();
    first();
    jest.advanceTimersByTime(500);
    expect(collect).not.toHaveBeenCalled();
    second();
    jest.advanceTimersByTime(99);
    expect(collect).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('waits again when a request starts within the idle time', () => {
    const subject = reclaimer();
    used = 100;
    subject.begin()();
    jest.advanceTimersByTime(50);
    const later = subject.begin();
    jest.advanceTimersByTime(200);
    expect(collect).not.toHaveBeenCalled();
    later();
    jest.advanceTimersByTime(100);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('does not collect when the heap grew less than growthBytes since the last collection', () => {
    const subject = reclaimer();
    used = 40;
    subject.begin()();
    jest.advanceTimersByTime(100);
    expect(collect).not.toHaveBeenCalled();
    used = 70;
    subject.begin()();
    jest.advanceTimersByTime(100);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('does nothing without an exposed gc', () => {
    expect(() => new MemoryReclaimer(undefined).begin()()).not.toThrow();
    expect(jest.getTimerCount()).toBe(0);
  });
});
