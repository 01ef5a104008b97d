import { CliError } from './exit-codes';
import { parseTemplateRef, parseWaves } from './rollout-options';

describe('rollout options', () => {
  it('reads waves as node counts and cumulative percents', () => {
    expect(parseWaves('1,10%,50%,100%')).toEqual([
      { count: 1 },
      { percent: 10 },
      { percent: 50 },
      { percent: 100 },
    ]);
    expect(parseWaves(' 2 , 12.5% ')).toEqual([{ count: 2 }, { percent: 12.5 }]);
  });

  it('names the wave it cannot read', () => {
    expect(() => parseWaves('1,ten')).toThrow(
      new CliError('--waves: "ten" (wave 2) must be a node count like 1 or a percent like 10%'),
    );
    expect(() => parseWaves('150%')).toThrow('--waves: 150% must be above 0 % and at most 100 %');
    expect(() => parseWaves('0')).toThrow('must be a node count');
  });

  it('reads a template with or without its version', () => {
    expect(parseTemplateRef('edge')).toEqual({ ref: 'edge' });
    expect(parseTemplateRef('edge@4')).toEqual({ ref: 'edge', version: 4 });
    expect(() => parseTemplateRef('edge@latest')).toThrow(
      '--template: "latest" is not a version (use name@4)',
    );
  });
});
