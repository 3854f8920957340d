import type { Progress } from '../../test/system/month-play';

/** Steps as lines; bars and status redrawn in place on a terminal, printed sparingly when output is a file (CI). */
export function consoleProgress(out: NodeJS.WriteStream = process.stdout): Progress & { done(): void } {
  const tty = out.isTTY === true;
  const started = Date.now();
  let live = false;
  let lastQuarter = new Map<string, number>();
  const clock = () => `${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s`;
  const redraw = (text: string) => {
    out.write(`\r\x1b[2K${text.slice(0, (out.columns ?? 120) - 1)}`);
    live = true;
  };
  const endLine = () => {
    if (live) out.write('\n');
    live = false;
  };
  return {
    step(title) {
      endLine();
      lastQuarter = new Map();
      out.write(`${clock()}  ▸ ${title}\n`);
    },
    bar(label, done, total) {
      const ratio = total === 0 ? 1 : done / total;
      const width = 30;
      const filled = Math.round(ratio * width);
      const text = `         ${label.padEnd(12)} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}`;
      if (tty) return redraw(text);
      const quarter = Math.floor(ratio * 4);
      if (quarter > (lastQuarter.get(label) ?? -1)) {
        lastQuarter.set(label, quarter);
        out.write(`${text}\n`);
      }
    },
    note(text) {
      endLine();
      out.write(`         ${text}\n`);
    },
    status(text) {
      if (tty) redraw(`         ${text}`);
    },
    done: endLine,
  };
}
