/**
 * A finished command must not keep its process alive. If it is still alive `graceMs` after the
 * command returned, something was left open (a driver mid-connect, a socket, a timer): once
 * stdout and stderr are flushed, it names what was still open in one line on stderr and exits
 * with the command's exit code. Normally the process is gone long before, and this timer
 * (unreferenced) never fires.
 */
export function exitWhenFinished(graceMs = 2000): void {
  const check = () => {
    if (process.stdout.writableLength > 0 || process.stderr.writableLength > 0) {
      setTimeout(check, graceMs).unref(); // a slow reader of a pipe: its output comes first
      return;
    }
    const counts = new Map<string, number>();
    // Standard streams show up as pipes or terminals; what is left is the leak.
    const leftovers = process.getActiveResourcesInfo().filter((r) => r !== 'PipeWrap' && r !== 'TTYWrap');
    for (const r of leftovers) counts.set(r, (counts.get(r) ?? 0) + 1);
    const open = [...counts].map(([r, n]) => (n > 1 ? `${n} ${r}` : r)).join(', ');
    process.stderr.write(
      `WARNING: exiting ${graceMs} ms after the command finished with ${open || 'handles'} still open\n`,
    );
    process.exit();
  };
  setTimeout(check, graceMs).unref();
}
