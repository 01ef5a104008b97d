import { Reactions } from './reactions';
import { askTopic, gatherTopic, tellTopic } from './topics';

const SAVED = tellTopic<[id: string]>('test.saved', 'inTransaction');
const NOTIFIED = tellTopic<[id: string]>('test.notified', 'afterCommit', 'could not notify');
const COUNT = askTopic<[id: string], number>('test.count', async () => 0);
const STRICT = askTopic<[id: string], number>('test.strict');
const PARTS = gatherTopic<string>('test.parts');

describe('Reactions', () => {
  it('tells listeners in registration order and answers what must run after the commit', async () => {
    const reactions = new Reactions();
    const seen: string[] = [];
    const afterCommit = async () => undefined;
    reactions.on(SAVED, 'a', async (id) => void seen.push(`a:${id}`));
    reactions.on(SAVED, 'b', async (id) => {
      seen.push(`b:${id}`);
      return afterCommit;
    });
    await expect(reactions.tell(SAVED, 'x')).resolves.toEqual([afterCommit]);
    expect(seen).toEqual(['a:x', 'b:x']);
  });

  it('lets a failure inside a transaction fail the caller, but only logs one after a commit', async () => {
    const reactions = new Reactions();
    const failing = async () => {
      throw new Error('down');
    };
    const later: string[] = [];
    reactions.on(SAVED, 'failing', failing);
    reactions.on(NOTIFIED, 'failing', failing);
    reactions.on(NOTIFIED, 'next', async (id) => void later.push(id));
    await expect(reactions.tell(SAVED, 'x')).rejects.toThrow('down');
    await expect(reactions.tell(NOTIFIED, 'y')).resolves.toEqual([]);
    expect(later).toEqual(['y']);
  });

  it('asks the one answerer, else the fallback, and refuses a second answerer', async () => {
    const reactions = new Reactions();
    await expect(reactions.ask(COUNT, 'x')).resolves.toBe(0);
    await expect(reactions.ask(STRICT, 'x')).rejects.toThrow('nothing answers test.strict');
    reactions.answer(COUNT, 'counter', async (id) => id.length);
    await expect(reactions.ask(COUNT, 'xyz')).resolves.toBe(3);
    expect(() => reactions.answer(COUNT, 'other', async () => 1)).toThrow('already has an answerer');
  });

  it('gathers contributions in order and lists who reacts to what', () => {
    const reactions = new Reactions();
    reactions.contribute(PARTS, 'one', 'first');
    reactions.contribute(PARTS, 'two', 'second');
    reactions.on(SAVED, 'listener', async () => undefined);
    expect(reactions.gather(PARTS)).toEqual(['first', 'second']);
    expect(reactions.list()).toEqual([
      { topic: 'test.parts', mode: 'gather', reactors: ['one', 'two'] },
      { topic: 'test.saved', mode: 'in transaction', reactors: ['listener'] },
    ]);
  });
});
