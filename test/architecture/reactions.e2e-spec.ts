import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Reactions, type TopicReactors } from '../../src/common/reactions';
import { TestPanel, startPanel } from '../support/panel';

const START = '<!-- reactions:start -->';
const END = '<!-- reactions:end -->';

/** The table docs/ARCHITECTURE.md shows, one row per topic, as the running panel's registrations say. */
function rows(topics: readonly TopicReactors[]): string[][] {
  return [
    ['Topic', 'How', 'Who reacts, in order'],
    ['---', '---', '---'],
    ...topics.map(({ topic, mode, reactors }) => [`\`${topic}\``, mode, reactors.join(', ')]),
  ];
}

/** A markdown table's cells, whatever padding Prettier gave it. */
function cells(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^-+$/, '---')),
    );
}

describe('who reacts to what', () => {
  let panel: TestPanel;

  beforeAll(async () => {
    panel = await startPanel();
  });

  afterAll(() => panel.close());

  it('is documented in docs/ARCHITECTURE.md exactly as the modules register it', () => {
    const doc = readFileSync(join(__dirname, '../../docs/ARCHITECTURE.md'), 'utf8');
    const documented = doc.slice(doc.indexOf(START) + START.length, doc.indexOf(END));
    expect(cells(documented)).toEqual(rows(panel.app.get(Reactions).list()));
  });
});
