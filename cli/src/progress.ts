const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Progress {
  update(text: string): void;
  done(text?: string): void;
}

/**
 * Progress on stderr while waiting: a spinner on a terminal, otherwise one line per change of text (so a
 * pipeline's log shows what it waited for without being flooded).
 */
export function startProgress(
  text: string,
  stream: NodeJS.WriteStream = process.stderr,
  quiet = false,
): Progress {
  if (quiet) return { update: () => undefined, done: () => undefined };
  let current = text;
  if (!stream.isTTY) {
    stream.write(current + '\n');
    return {
      update(next) {
        if (next !== current) stream.write(next + '\n');
        current = next;
      },
      done(final) {
        if (final) stream.write(final + '\n');
      },
    };
  }
  let frame = 0;
  const draw = () => stream.write(`\r\u001b[2K${FRAMES[frame++ % FRAMES.length]} ${current}`);
  draw();
  const timer = setInterval(draw, 100);
  return {
    update(next) {
      current = next;
    },
    done(final) {
      clearInterval(timer);
      stream.write('\r\u001b[2K' + (final ? final + '\n' : ''));
    },
  };
}
