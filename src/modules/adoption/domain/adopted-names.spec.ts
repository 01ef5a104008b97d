import { testKey } from '../../drift/domain/drift.fixtures';
import { addressName, namesShapeProblem, takenNameProblem } from './adopted-names';

describe('the names of adopted peers', () => {
  it('takes an object of public key → peer name, each name once', () => {
    expect(namesShapeProblem({ [testKey(1)]: 'alice', [testKey(2)]: 'bob' }, 'names')).toBeNull();
    expect(namesShapeProblem({}, 'names')).toBeNull();
  });

  it.each([
    [['alice'], 'names must be an object of public key → peer name'],
    ['alice', 'names must be an object of public key → peer name'],
    [{ 'not-a-key': 'alice' }, 'names: every key must be a WireGuard public key (44 characters of base64)'],
    [{ [testKey(1)]: '' }, `names.${testKey(1)} must be a peer name of 1 to 100 characters`],
    [{ [testKey(1)]: '   ' }, `names.${testKey(1)} must be a peer name of 1 to 100 characters`],
    [{ [testKey(1)]: 7 }, `names.${testKey(1)} must be a peer name of 1 to 100 characters`],
    [{ [testKey(1)]: 'x'.repeat(101) }, `names.${testKey(1)} must be a peer name of 1 to 100 characters`],
    [{ [testKey(1)]: 'a\u2028b' }, `names.${testKey(1)} must not contain control characters`],
    [
      { [testKey(1)]: 'alice', [testKey(2)]: 'alice' },
      `names.${testKey(2)}: the name alice is given to ${testKey(1)} too; peer names are unique`,
    ],
  ])('refuses %j naming the entry', (value, problem) => {
    expect(namesShapeProblem(value, 'names')).toContain(problem);
  });

  it("refuses a name a peer of the node has, unless it is that peer's own key", () => {
    const current = new Map([[testKey(1), 'alice']]);
    expect(takenNameProblem(new Map([[testKey(2), 'alice']]), current, 'eu-west')).toEqual({
      field: `names.${testKey(2)}`,
      message: 'a peer of node eu-west is already named alice; peer names are unique per node',
    });
    expect(takenNameProblem(new Map([[testKey(1), 'alice']]), current, 'eu-west')).toBeNull();
    expect(takenNameProblem(new Map([[testKey(2), 'bob']]), current, 'eu-west')).toBeNull();
  });

  it('names a peer by its address, with the start of its key when that name is taken', () => {
    expect(addressName('10.0.1.7/32', 'ab+/cdefghijkl=', new Set())).toBe('10.0.1.7');
    expect(addressName('fd00::7/128', 'ab+/cdefghijkl=', new Set())).toBe('fd00::7');
    expect(addressName('10.0.1.7/32', 'ab+/cdefghijkl=', new Set(['10.0.1.7']))).toBe('10.0.1.7-abcdefgh');
    expect(addressName(undefined, 'ab+/cdefghijkl=', new Set())).toBe('peer-abcdefgh');
  });
});
