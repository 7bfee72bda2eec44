import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { AdminApiError, AdminClient } from '../src/cli/admin-client.js';
import { AppError, InvalidInputError, ServiceUnavailableError, UnauthorizedError } from '../src/errors.js';
import type { AdminOverview } from '../src/services/admin-service.js';
import type { SupportAction } from '../src/console/support-state.js';

const MAX_BACKOFF_S = 30;

export default class Console extends BaseCommand<typeof Console> {
  static override description =
    "Live support console over the running service's admin API: scheduler liveness, cache, subscriptions, the delivery queue, retries, failures and suspensions; / searches subscriptions, and a subscription's view reactivates, resends the confirmation or retries a delivery";
  static override examples = [
    '<%= config.bin %> console',
    '<%= config.bin %> console --url https://api.example.com --token $ADMIN_TOKEN',
    '<%= config.bin %> console --once --json',
  ];
  static override flags = {
    url: Flags.string({ description: 'base URL of the running service (default http://127.0.0.1:$PORT)' }),
    token: Flags.string({ description: 'operator token (default ADMIN_TOKEN)' }),
    interval: Flags.integer({ description: 'seconds between refreshes', default: 2, min: 1, max: 3600 }),
    once: Flags.boolean({ description: 'print one snapshot and exit' }),
  };

  async run(): Promise<AdminOverview | undefined> {
    const url = this.flags.url ?? `http://127.0.0.1:${this.appConfig.port}`;
    if (!/^https?:\/\/[^/\s]+/.test(url))
      throw new InvalidInputError(`--url must be an http(s) URL such as http://127.0.0.1:8000, not ${url}`);
    const client = new AdminClient({ url, token: this.flags.token ?? this.appConfig.adminToken });
    if (this.flags.once || this.jsonEnabled()) return this.once(client, url);
    // The live console runs until someone quits it: with no terminal (cron, CI, a pipe) it would never end.
    if (!process.stdout.isTTY)
      throw new InvalidInputError('The live console needs a terminal; use --once (or --json) for one snapshot');
    const [{ render }, { ConsoleApp }] = await Promise.all([import('ink'), import('../src/console/ConsoleApp.js')]);
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let overview: AdminOverview | null = null;
    let goodAt: number | null = null;
    let problem: string | null = null;
    let failuresInARow = 0;
    let timer: NodeJS.Timeout | undefined;
    const retry = async (target: { id: string } | { period: string }) => {
      const r = await client.retry(target);
      void refresh();
      const left = r.skipped.length ? `, left ${r.skipped.length} (${r.skipped[0]?.reason})` : '';
      return `${r.requeued.length} delivery(ies) ${r.note}${left}`;
    };
    const act = async (a: SupportAction) => {
      const r =
        a.kind === 'reactivate'
          ? await client.reactivate(a.subscriptionId)
          : a.kind === 'resend'
            ? await client.resendConfirmation(a.subscriptionId)
            : await client.retryDelivery(a.deliveryId);
      void refresh();
      return `${r.done} · ${r.note}`;
    };
    const view = () => (
      <ConsoleApp
        overview={overview}
        problem={problem}
        goodAt={goodAt}
        now={Date.now()}
        url={url}
        rows={process.stdout.rows ?? 24}
        interactive={Boolean(process.stdin.isTTY)}
        onQuit={stop}
        onRefresh={() => void refresh()}
        onRetry={retry}
        onSearch={(text) => client.searchSubscriptions(text)}
        onOpenSubscription={(id) => client.subscription(id)}
        onAction={act}
      />
    );
    const app = render(view(), { exitOnCtrlC: false });
    // The age of stale data moves on screen while the service does not answer.
    const ticker = setInterval(() => app.rerender(view()), 1000);
    // Polls; after a failure it waits longer each time (up to 30 s), and `r` polls at once. Each call
    // gives up after a few seconds, and the last good figures stay on screen, marked stale.
    const refresh = async () => {
      clearTimeout(timer);
      try {
        overview = await client.overview();
        goodAt = Date.now();
        problem = null;
        failuresInARow = 0;
      } catch (err) {
        problem = err instanceof AdminApiError ? err.message : `refresh failed: ${(err as Error).message}`;
        failuresInARow++;
      }
      app.rerender(view());
      const wait = Math.min(MAX_BACKOFF_S, this.flags.interval * 2 ** Math.min(failuresInARow, 5));
      timer = setTimeout(refresh, failuresInARow ? wait * 1000 : this.flags.interval * 1000);
    };
    await refresh();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await stopped;
    clearTimeout(timer);
    clearInterval(ticker);
    app.unmount();
    return undefined;
  }

  private async once(client: AdminClient, url: string): Promise<AdminOverview> {
    const overview = await client.overview().catch((err: unknown) => {
      if (!(err instanceof AdminApiError)) throw err;
      if (err.kind === 'unreachable') throw new ServiceUnavailableError(err.message);
      if (err.kind === 'unauthorized') throw new UnauthorizedError(err.message);
      throw new AppError('INTERNAL_ERROR', 500, err.message);
    });
    if (!this.jsonEnabled()) {
      const [{ render }, { ConsoleApp }] = await Promise.all([import('ink'), import('../src/console/ConsoleApp.js')]);
      render(<ConsoleApp overview={overview} problem={null} url={url} rows={process.stdout.rows ?? 40} />).unmount();
    }
    return overview;
  }
}
