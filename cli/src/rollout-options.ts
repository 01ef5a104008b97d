import type { WaveSpec } from './api-types';
import { CliError } from './exit-codes';

/** `--waves 1,10%,50%,100%`: a percent is a cumulative share of the nodes, a bare number that many more nodes. */
export function parseWaves(text: string): WaveSpec[] {
  return text.split(',').map((raw, index) => {
    const part = raw.trim();
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(part);
    if (percent) {
      const value = Number(percent[1]);
      if (value <= 0 || value > 100)
        throw new CliError(`--waves: ${part} must be above 0 % and at most 100 %`);
      return { percent: value };
    }
    if (/^[1-9]\d*$/.test(part)) return { count: Number(part) };
    throw new CliError(
      `--waves: "${part}" (wave ${index + 1}) must be a node count like 1 or a percent like 10%`,
    );
  });
}

/** `--template edge` or `--template edge@4`: the template and, when given, the version to pin. */
export function parseTemplateRef(text: string): { ref: string; version?: number } {
  const at = text.lastIndexOf('@');
  if (at < 0) return { ref: text };
  const version = Number(text.slice(at + 1));
  if (!Number.isInteger(version) || version < 1)
    throw new CliError(`--template: "${text.slice(at + 1)}" is not a version (use name@4)`);
  return { ref: text.slice(0, at), version };
}
