import { Flags } from '@oclif/core';
import { render } from 'ink';
import { BaseCommand } from '../src/cli/base-command.js';
import { ConsoleApp } from '../src/console/ConsoleApp.js';
import type { ConsoleSnapshot } from '../src/services/console-service.js';

export default class Console extends BaseCommand<typeof Console> {
  static override description = 'Live terminal console for support: cache hit rate and health, subscriptions and the report delivery queue';
  static override examples = ['<%= config.bin %> console', '<%= config.bin %> console --interval 5', '<%= config.bin %> console --once --json'];
  static override flags = {
    interval: Flags.integer({ description: 'seconds between refreshes', default: 2, min: 1, max: 3600 }),
    once: Flags.boolean({ description: 'print one snapshot and exit' }),
  };

  async run(): Promise<ConsoleSnapshot | undefined> {
    const c = await this.services();
    if (this.flags.once || this.jsonEnabled()) {
      const snapshot = await c.console.snapshot();
      if (!this.jsonEnabled()) render(<ConsoleApp snapshot={snapshot} error={null} />).unmount();
      return snapshot;
    }
    const interactive = Boolean(process.stdin.isTTY);
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let snapshot: ConsoleSnapshot | null = null;
    let error: string | null = null;
    const view = () => <ConsoleApp snapshot={snapshot} error={error} interactive={interactive} onQuit={stop} />;
    const app = render(view(), { exitOnCtrlC: false });
    const refresh = async () => {
      try {
        snapshot = await c.console.snapshot();
        error = null;
      } catch (err) {
        error = (err as Error).message;
      }
      app.rerender(view());
    };
    await refresh();
    const timer = setInterval(refresh, this.flags.interval * 1000);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await stopped;
    clearInterval(timer);
    app.unmount();
    return undefined;
  }
}
