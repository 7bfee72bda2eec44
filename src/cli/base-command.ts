import { Command, Flags, type Interfaces } from '@oclif/core';
import { ConfigError, loadProcessConfig } from '../config.js';
import { createContainer, type Container } from '../container.js';
import { AppError } from '../errors.js';
import { DEMO_ANALYSIS_ID, seedDemoAnalysis } from '../db/demo-seed.js';

/** Exit codes: 2 for input the operator can fix, 3 for an unavailable dependency, 1 for bugs. */
function exitCodeFor(err: unknown): number {
  if (err instanceof ConfigError) return 2;
  if (err instanceof AppError) return err.status === 503 ? 3 : err.status < 500 ? 2 : 1;
  return 1;
}

/**
 * Every command: `--json` for free (oclif prints the returned value), one container per run,
 * closed on the way out, and AppError turned into a clear message and exit code.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = {
    'log-level': Flags.string({ description: 'log level (overrides LOG_LEVEL)', options: ['fatal', 'error', 'warn', 'info', 'debug', 'silent'], helpGroup: 'GLOBAL' }),
  };

  protected flags!: Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;
  protected args!: Interfaces.InferredArgs<T['args']>;
  private container: Container | null = null;

  public override async init(): Promise<void> {
    await super.init();
    const { args, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as typeof this.flags;
    this.args = args as typeof this.args;
  }

  /** In embedded mode, bring the local schema up to date and seed the demo analysis first. */
  protected migrateEmbedded = true;

  /** Log level when neither LOG_LEVEL nor --log-level says otherwise. */
  protected defaultLogLevel = 'warn';

  /** The container, built on first use from the environment. */
  protected async services(): Promise<Container> {
    if (!this.container) {
      const config = loadProcessConfig({ LOG_LEVEL: this.defaultLogLevel }, { LOG_LEVEL: this.flags['log-level'] });
      this.container = createContainer(config);
      if (config.embedded && this.migrateEmbedded) {
        await this.container.migrate();
        if (await seedDemoAnalysis(this.container.db, this.container.clock.now())) {
          this.container.logger.info({ analysisId: DEMO_ANALYSIS_ID }, 'seeded the demo analysis');
        }
      }
    }
    return this.container;
  }

  protected override async catch(err: Error & { exitCode?: number; code?: string; oclif?: { exit?: number } }): Promise<unknown> {
    if (err.code === 'EEXIT') {
      // A deliberate this.exit(n) after the command already printed its result.
      process.exitCode = err.oclif?.exit ?? 1;
      return undefined;
    }
    if (err instanceof AppError || err instanceof ConfigError) {
      const code = err instanceof AppError ? err.code : 'INVALID_CONFIG';
      if (this.jsonEnabled()) {
        this.logJson({ error: code, detail: err.message });
        this.exit(exitCodeFor(err));
      }
      this.error(`${code}: ${err.message}`, { exit: exitCodeFor(err) });
    }
    return super.catch(err);
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    await this.container?.close();
    return super.finally(err);
  }
}
