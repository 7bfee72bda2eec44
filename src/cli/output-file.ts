import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../errors.js';

const reject = (message: string): never => {
  throw new InvalidInputError(message, [{ field: 'output', message }]);
};

/** Resolves an output path and checks, before any work, that it can be written. */
export async function writableOutputFile(file: string): Promise<string> {
  const resolved = path.resolve(file);
  const dir = path.dirname(resolved);
  const dirStat = await stat(dir).catch(() => null);
  if (!dirStat?.isDirectory()) reject(`cannot write ${resolved}: the directory ${dir} does not exist`);
  await access(dir, constants.W_OK).catch(() =>
    reject(`cannot write ${resolved}: the directory ${dir} is not writable`),
  );
  const fileStat = await stat(resolved).catch(() => null);
  if (fileStat?.isDirectory()) reject(`cannot write ${resolved}: it is a directory`);
  return resolved;
}

/** Where a command writes what it makes: a file, or standard output when the path is `-`. */
export type OutputTarget = { kind: 'stdout' } | { kind: 'file'; path: string };

/** `-` is standard output; any other path is checked, before any work, as by `writableOutputFile`. */
export async function outputTarget(file: string): Promise<OutputTarget> {
  return file === '-' ? { kind: 'stdout' } : { kind: 'file', path: await writableOutputFile(file) };
}

/** Writes `data` to the target; with standard output, resolves once it has taken all of it. */
export async function writeOutput(target: OutputTarget, data: string | Uint8Array): Promise<void> {
  if (target.kind === 'file') return writeFile(target.path, data);
  await new Promise<void>((resolve, reject) => process.stdout.write(data, (err) => (err ? reject(err) : resolve())));
}
