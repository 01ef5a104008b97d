import { Writable } from 'node:stream';

/** A stream for pino that parses each JSON line into `lines` and hands the raw text to `onText`. */
export function jsonLogStream(
  lines: Array<Record<string, unknown>>,
  onText: (text: string) => void = () => undefined,
): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      onText(chunk.toString());
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
}
