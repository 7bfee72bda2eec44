import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../helpers/cli.js';

/** Runs a small script with the given body in its own process; resolves with its exit code and stderr. */
function runScript(body: string): Promise<{ code: number | null; stderr: string }> {
  const module = path.join(ROOT, 'src/cli/exit-when-finished.ts');
  const source = `import { exitWhenFinished } from ${JSON.stringify(module)};\n${body}`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('cli/exit-when-finished', function () {
  this.timeout(90_000);

  it('ends a finished command whose process a leftover handle keeps alive, with its exit code, naming the handle', async () => {
    const res = await runScript(`
      import { createServer } from 'node:net';
      createServer().listen(0, '127.0.0.1'); // left open: without the guard the process would never end
      process.exitCode = 2;
      exitWhenFinished(100);
    `);
    expect(res.code).to.equal(2);
    expect(res.stderr).to.equal('WARNING: exiting 100 ms after the command finished with TCPServerWrap still open\n');
  });

  it('stays out of the way when nothing is left open', async () => {
    const res = await runScript(`process.exitCode = 1; exitWhenFinished(100);`);
    expect(res.code).to.equal(1);
    expect(res.stderr).to.equal('');
  });
});
