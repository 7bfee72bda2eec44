import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** Environment for a CLI run: the given vars only, plus PATH/HOME (no ambient DATABASE_URL). */
export function cliEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env };
}

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

let launcher: string | null = null;

/**
 * The CLI's current TypeScript sources, transpiled once per test run by esbuild (the transform tsx
 * applies) into a directory of this process's own. Each CLI process then starts as plain
 * JavaScript, without tsx's loader, and finds its command through an oclif manifest: together
 * that cuts the CPU of every spawned command by about two thirds.
 */
function cliLauncher(): string {
  if (launcher) return launcher;
  const outdir = path.join(ROOT, '.tmp', `cli-${process.pid}`);
  rmSync(outdir, { recursive: true, force: true });
  process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
  buildSync({
    entryPoints: ['src', 'commands', 'migrations'].flatMap(sources),
    outdir,
    outbase: ROOT,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    logLevel: 'error',
  });
  // bin/dev.js, rooted in the transpiled tree. Its oclif manifest, written once here, spares every
  // CLI process importing all the commands to find the one it runs.
  const config = `import { readFileSync, writeFileSync } from 'node:fs';
import { Config, flush, handle, run } from '@oclif/core';
const pjson = JSON.parse(readFileSync(${JSON.stringify(path.join(ROOT, 'package.json'))}, 'utf8'));
pjson.oclif.commands = './commands';
pjson.oclif.hooks = { command_not_found: './src/cli/not-found.js' };
const config = await Config.load({ root: ${JSON.stringify(outdir)}, pjson });
`;
  writeFileSync(
    path.join(outdir, 'manifest.js'),
    `${config}
writeFileSync(${JSON.stringify(path.join(outdir, 'oclif.manifest.json'))}, JSON.stringify(config.getPluginsList()[0].manifest));
`,
  );
  const manifest = spawnSync(process.execPath, [path.join(outdir, 'manifest.js')], { cwd: ROOT, encoding: 'utf8' });
  if (manifest.status !== 0) throw new Error(`oclif manifest: ${manifest.stderr}`);
  const file = path.join(outdir, 'run.js');
  writeFileSync(
    file,
    `${config}
try {
  await run(process.argv.slice(2), config);
  await flush();
} catch (error) {
  await handle(error);
}
`,
  );
  launcher = file;
  return file;
}

/** The commands of the CLI under test (`reports:export`), from the oclif manifest its launcher wrote. */
export function cliCommandIds(): string[] {
  const manifest = path.join(path.dirname(cliLauncher()), 'oclif.manifest.json');
  return Object.keys((JSON.parse(readFileSync(manifest, 'utf8')) as { commands: object }).commands);
}

/** The command line that runs `visionaire ARGS` from the current sources (for a pty: `script -c`). */
export function cliCommandLine(args: string[]): string[] {
  return [process.execPath, cliLauncher(), ...args];
}

/** Starts `visionaire ARGS` from the current sources. */
export function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [cliLauncher(), ...args], { cwd: ROOT, env: cliEnv(env) });
}

/** Runs `visionaire ARGS` to completion. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export type DeadlineResult = CliResult & { signal: NodeJS.Signals | null; killed: boolean };

/** Runs `visionaire ARGS` with stdin at /dev/null (as in cron), killing it if it is still running after `deadlineMs`. */
export function runCliWithin(args: string[], env: Record<string, string>, deadlineMs: number): Promise<DeadlineResult> {
  return new Promise((resolve, reject) => {
    cliLauncher();
    const child = spawn(process.execPath, [cliLauncher(), ...args], {
      cwd: ROOT,
      env: cliEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, deadlineMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, killed });
    });
  });
}

export const tempDir = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), `visionaire-${prefix}-`));

/** Resolves with everything a child process printed once its output matches `pattern`. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`timed out; output so far:\n${out}`)), ms);
    const onData = (d: Buffer) => {
      out += d;
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}
