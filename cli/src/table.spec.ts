import { cell, renderTable, visibleLength } from './table';

describe('renderTable', () => {
  it('pads each column to its widest cell, ignoring colour codes, without trailing spaces', () => {
    const green = (text: string) => `\u001b[32m${text}\u001b[39m`;
    expect(
      renderTable(
        ['NODE', 'STATUS', 'X'],
        [
          ['edge-1', green('in_sync'), ''],
          ['e2', 'drift', '7'],
        ],
      ),
    ).toBe('NODE    STATUS   X\n' + `edge-1  ${green('in_sync')}\n` + 'e2      drift    7\n');
  });

  it('measures text as a terminal shows it', () => {
    expect(visibleLength('\u001b[1mbold\u001b[22m')).toBe(4);
  });
});

describe('cell', () => {
  it('shows absent values as "-" and joins lists', () => {
    expect(cell(null)).toBe('-');
    expect(cell([])).toBe('-');
    expect(cell(['10.0.0.2/32', '10.0.0.3/32'])).toBe('10.0.0.2/32,10.0.0.3/32');
    expect(cell(false)).toBe('false');
  });
});
