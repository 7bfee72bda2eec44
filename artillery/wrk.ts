/**
 * Closed-loop load with wrk (C, one thread), for the benchmarks: it drives a Node server on one
 * core from one other core without becoming the bottleneck, where autocannon (Node) tops out near
 * the rate of the servers it measures. Cycles over `paths`; POSTs toggle a progress status.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Whether a command is on the PATH. */
export function has(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const WRK = has('wrk');

export type WrkResult = { rps: number; p50: number; p95: number; p99: number; requests: number; errors: number };

const LUA_DONE = `
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %f %f %f\\n", summary.requests, summary.duration, errors,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end`;

function luaScript(paths: string[], post: boolean): string {
  const list = paths.map((p) => `"${p}"`).join(',');
  const request = post
    ? `local s = {}
request = function()
  i = i + 1
  local k = (i % #paths) + 1
  s[k] = (s[k] == "IN_PROGRESS") and "NOT_STARTED" or "IN_PROGRESS"
  return wrk.format("POST", paths[k], {["Content-Type"] = "application/json"}, '{"opportunity_id":"value_creation","status":"' .. s[k] .. '"}')
end`
    : `request = function()
  i = i + 1
  return wrk.format(nil, paths[(i % #paths) + 1])
end`;
  return `local paths = {${list}}\nlocal i = 0\n${request}\n${LUA_DONE}`;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'wrk-'));

/** Runs wrk against `base` for `seconds`, pinned to core 1 when `taskset` is given; latencies in ms. */
export function wrkLoad(
  base: string,
  paths: string[],
  opts: { connections: number; seconds: number; post?: boolean; taskset: boolean },
): WrkResult {
  const script = path.join(tmp, `${randomUUID()}.lua`);
  writeFileSync(script, luaScript(paths, opts.post ?? false));
  const args = ['-t', '1', '-c', String(opts.connections), '-d', `${opts.seconds}s`, '-s', script, base];
  const out = execFileSync(opts.taskset ? 'taskset' : 'wrk', opts.taskset ? ['-c', '1', 'wrk', ...args] : args, {
    encoding: 'utf8',
  });
  const m = /RESULT (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)/.exec(out);
  if (!m) throw new Error(`unexpected wrk output: ${out}`);
  const [requests, durationUs, errors, p50, p95, p99] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { rps: requests / (durationUs / 1e6), p50: p50 / 1000, p95: p95 / 1000, p99: p99 / 1000, requests, errors };
}
