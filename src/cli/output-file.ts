import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
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
