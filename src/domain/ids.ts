import { z } from 'zod';
import { InvalidInputError } from '../errors.js';

const Uuid = z.uuid();

/** Rejects an id that is not a UUID with INVALID_INPUT naming the field. */
export function requireUuid(value: string, field: string): string {
  if (!Uuid.safeParse(value).success) throw new InvalidInputError(`${field} must be a UUID`, [{ field, message: 'must be a UUID' }]);
  return value;
}
