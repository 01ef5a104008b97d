import { plannedTickMs, scanDelayMs, scanJobId, scanSlot } from './scan-slots';

describe('scan slots', () => {
  it('puts every tick of one interval in the same slot', () => {
    expect(scanSlot(10_000, 2000)).toBe(5);
    expect(scanSlot(11_999, 2000)).toBe(5);
    expect(scanSlot(12_000, 2000)).toBe(6);
  });

  it('gives consecutive ticks consecutive slots, however close to a slot boundary they were created', () => {
    // Ticks planned for 7,846 ms into each slot; each is created while the one before it runs.
    const first = { timestamp: 30_100, delay: 7_746 };
    const second = { timestamp: 37_931, delay: 29_915 };
    expect(scanSlot(second.timestamp, 30_000)).toBe(scanSlot(first.timestamp, 30_000));
    expect(scanSlot(plannedTickMs(first), 30_000)).toBe(1);
    expect(scanSlot(plannedTickMs(second), 30_000)).toBe(2);
    expect(plannedTickMs({ timestamp: 5 })).toBe(5);
  });

  it('names the job after node and slot, without colons (BullMQ reserves them)', () => {
    const id = scanJobId('0d6c3f5e-8a4b-4c2d-9e1f-1234567890ab', 42);
    expect(id).toBe('scan-0d6c3f5e-8a4b-4c2d-9e1f-1234567890ab-42');
    expect(id).not.toContain(':');
  });

  it('delays each node by the same amount every interval, within half the interval', () => {
    const node = '0d6c3f5e-8a4b-4c2d-9e1f-1234567890ab';
    expect(scanDelayMs(node, 2000)).toBe(scanDelayMs(node, 2000));
    expect(scanDelayMs(node, 2000)).toBeLessThan(1000);
  });

  it('spreads a fleet over the window, capped at a minute', () => {
    const delays = Array.from({ length: 500 }, (_, index) => scanDelayMs(`node-${index}`, 3_600_000));
    expect(Math.max(...delays)).toBeLessThan(60_000);
    expect(Math.max(...delays)).toBeGreaterThan(50_000);
    expect(Math.min(...delays)).toBeLessThan(10_000);
  });

  it('does not delay at all with a tiny interval', () => {
    expect(scanDelayMs('node', 1)).toBe(0);
  });
});
