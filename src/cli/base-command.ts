import { Command, Flags, type Interfaces } from '@oclif/core';
import { ConfigError, loadProcessConfig, type Config as AppConfig } from '../config.js';
import type { Container } from '../container.js';
import { ServiceUnavailableError } from '../errors.js';
import { exitWhenFinished } from './exit-when-finished.js';
import { describeFailure, EXIT, type Failure } from './failure.js';

/**
 * Every command: `--json` for free (oclif prints the returned value), one configuration and one
 * container per run (closed on the way out), and one way out for every failure: `{error, detail}`
 * on stdout under `--json`, one `CODE: detail` line on stderr otherwise, with the documented exit
 * code (0 ok, 1 failure, 2 usage: see failure.ts). Whatever happens, what was opened is closed and
 * the process ends.
 * The container (knex, drivers, the cache) is imported only when a command asks for it, so
 * `--help`, `--version` and commands that need no database start fast.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = {
    'log-level': Flags.string({
      description: 'log level (overrides LOG_LEVEL)',
      options: ['fatal', 'error', 'warn', 'info', 'debug', 'silent'],
      helpGroup: 'GLOBAL',
    }),
  };

  protected flags!: Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;
  protected args!: Interfaces.InferredArgs<T['args']>;
  private container: Container | null = null;
  private settings: AppConfig | null = null;

  /** Set by a command that finished but failed in part (rows, deliveries): one line on stderr, exit 1. */
  private partialFailure: { code: string; detail: string } | null = null;

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

  /** Long-running servers keep their JSON logs on stdout, as log collectors expect. */
  protected logsOnStdout = false;

  /** Log level when neither LOG_LEVEL nor --log-level says otherwise. */
  protected defaultLogLevel = 'warn';

  /** The service configuration, read from the environment once per run. */
  protected get appConfig(): AppConfig {
    this.settings ??= loadProcessConfig({ LOG_LEVEL: this.defaultLogLevel }, { LOG_LEVEL: this.flags?.['log-level'] });
    return this.settings;
  }

  /** The container, built on first use. */
  protected async services(): Promise<Container> {
    if (!this.container) {
      const config = this.appConfig;
      const [{ createContainer }, { createLogger, logFormatFor }] = await Promise.all([
        import('../container.js'),
        import('../logger.js'),
      ]);
      // Logs go to stderr, so that stdout carries only the command's output (and its --json document);
      // servers log to stdout, as log collectors expect, unless --json reserves it for the result.
      const destination = this.logsOnStdout && !this.jsonEnabled() ? process.stdout : process.stderr;
      const logger = createLogger(config.logLevel, destination, logFormatFor(config.logFormat, destination));
      this.container = createContainer(config, { logger });
      if (config.embedded && this.migrateEmbedded) {
        const { DEMO_ANALYSIS_ID, seedDemoAnalysis } = await import('../db/demo-seed.js');
        await this.container.migrate();
        if (await seedDemoAnalysis(this.container.db, this.container.clock.now())) {
          this.container.logger.info({ analysisId: DEMO_ANALYSIS_ID }, 'seeded the demo analysis');
        }
        const kid = await this.container.credentials.ensureKey();
        if (kid) this.container.logger.info({ kid }, 'generated the badge signing key');
      }
    }
    return this.container;
  }

  /** The command finished but part of its work failed: it still prints its result, then this line, and exits 1. */
  protected failed(code: string, detail: string): void {
    this.partialFailure = { code, detail };
  }

  /** Fails with a Redis-only message unless REDIS_URL is set. */
  protected requireRedis(why: string): void {
    if (!this.appConfig.redisUrl) throw new ConfigError(`No REDIS_URL: ${why}`);
  }

  /** The container once its Redis answers; SERVICE_UNAVAILABLE (exit 1) when it does not within 2 s. */
  protected async servicesWithRedis(): Promise<Container> {
    const c = await this.services();
    if (!(await c.cache.ready(2000))) {
      const at = c.config.redisUrl ? ` at ${new URL(c.config.redisUrl).host}` : '';
      throw new ServiceUnavailableError(`Redis is unreachable${at}: no answer within 2 s`);
    }
    return c;
  }

  /** The one exit for failures, oclif's own parse errors included. */
  protected override async catch(err: Error): Promise<unknown> {
    const failure: Failure = describeFailure(err);
    process.exitCode = failure.exit;
    if (failure.silent) return undefined;
    if (failure.exit === 1 && failure.error === 'INTERNAL_ERROR') this.debug(err);
    if (this.jsonEnabled()) this.logJson({ error: failure.error, detail: failure.detail });
    else process.stderr.write(`${failure.error}: ${failure.detail}\n`);
    return undefined;
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    try {
      await this.container?.close();
    } catch (closeErr) {
      this.debug(closeErr);
    }
    if (!err && this.partialFailure) {
      process.exitCode = EXIT.failure;
      process.stderr.write(`${this.partialFailure.code}: ${this.partialFailure.detail}\n`);
    }
    const result = await super.finally(err);
    exitWhenFinished();
    return result;
  }
}
