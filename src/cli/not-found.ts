import { Errors, toConfiguredId, type Hook } from '@oclif/core';
import { EXIT } from './failure.js';

/**
 * An unknown command is a usage error like any other (exit 2): under `--json`, the same
 * `{error, detail}` document on stdout as every command's failure; otherwise one
 * `INVALID_INPUT: …` line on stderr. On an interactive terminal, @oclif/plugin-not-found first
 * asks "did you mean …?" and runs the command if the answer is yes.
 */
const commandNotFound: Hook.CommandNotFound = async function (opts) {
  const json = opts.argv?.includes('--json') ?? false;
  if (!json && process.stdin.isTTY && process.stderr.isTTY) {
    const { default: suggest } = await import('@oclif/plugin-not-found');
    try {
      return await suggest.call(this, opts);
    } catch (err) {
      const e = err as Errors.CLIError;
      if (e.oclif?.exit === 127) throw new Errors.CLIError(e.message, { exit: EXIT.usage });
      throw err;
    }
  }
  // oclif joins every word into the id (`reports:exprt:<uuid>`): name the longest known topic and the word after it.
  const words = opts.id.split(':');
  let known = 0;
  while (known < words.length - 1 && opts.config.findTopic(words.slice(0, known + 1).join(':'))) known++;
  const topic = words.slice(0, known).join(':');
  const unknown = toConfiguredId(words.slice(0, known + 1).join(':'), opts.config);
  const help = `${opts.config.bin} help${topic ? ` ${toConfiguredId(topic, opts.config)}` : ''}`;
  const detail = `${unknown} is not a ${opts.config.bin} command; see ${help}`;
  if (json) process.stdout.write(`${JSON.stringify({ error: 'INVALID_INPUT', detail }, null, 2)}\n`);
  else process.stderr.write(`INVALID_INPUT: ${detail}\n`);
  return this.exit(EXIT.usage);
};

export default commandNotFound;
