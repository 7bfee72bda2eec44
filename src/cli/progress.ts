/** Progress of a long batch: a bar with count, rate and ETA on a terminal, plain lines otherwise. */
export type Progress = { update(done: number, total: number, note: string): void; stop(): void };

const PLAIN_EVERY_MS = 2000;

/**
 * `unit` names what is counted (`analyses`, `KB`). `quiet` (under --json) prints nothing.
 * The bar (cli-progress) is loaded only when stderr is a terminal.
 */
export async function startProgress(opts: {
  label: string;
  unit: string;
  quiet: boolean;
  stream?: NodeJS.WriteStream;
}): Promise<Progress> {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { update: () => undefined, stop: () => undefined };
  if (stream.isTTY) {
    const { SingleBar, Presets } = await import('cli-progress');
    const bar = new SingleBar(
      {
        stream,
        format: `${opts.label} [{bar}] {percentage}% · {value}/{total} ${opts.unit} · {rate}/s · ETA {eta_formatted} · {note}`,
        hideCursor: true,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    const started = Date.now();
    let begun = false;
    return {
      update(done, total, note) {
        const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
        if (!begun) bar.start(total, done, { note, rate });
        begun = true;
        bar.setTotal(total);
        bar.update(done, { note, rate });
      },
      stop: () => bar.stop(),
    };
  }
  const started = Date.now();
  let last = 0;
  let latest: (() => string) | null = null;
  const print = () => latest && stream.write(`${latest()}\n`);
  return {
    update(done, total, note) {
      latest = () => {
        const seconds = (Date.now() - started) / 1000;
        const rate = done / Math.max(0.001, seconds);
        const eta = rate > 0 && total > done ? ` · ETA ${Math.ceil((total - done) / rate)} s` : '';
        return `${opts.label}: ${done}/${total} ${opts.unit} · ${Math.round(rate)}/s${eta} · ${note}`;
      };
      if (last === 0 || Date.now() - last >= PLAIN_EVERY_MS) {
        print();
        last = Date.now();
        latest = null;
      }
    },
    stop: () => print(),
  };
}
