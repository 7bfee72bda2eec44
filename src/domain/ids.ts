import { z } from 'zod';
import { InvalidInputError } from '../errors.js';

/** 8-4-4-4-12 hex digits in any case: every such string is a UUID PostgreSQL accepts. */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** An id as it comes in (any case), checked and turned into its one canonical (lower-case) form. */
export const CanonicalUuid = z
  .string()
  .regex(UUID_PATTERN, { message: 'must be a UUID' })
  .transform((s) => s.toLowerCase())
  .meta({ format: 'uuid', example: '550e8400-e29b-41d4-a716-446655440000' });

/** An id as the service gives it out: always lower case. */
export const UuidOut = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  .meta({ format: 'uuid' });

/** The canonical (lower-case) form of a UUID; INVALID_INPUT naming the field when it is not one. */
export function requireUuid(value: string, field: string): string {
  if (!UUID_PATTERN.test(value))
    throw new InvalidInputError(`${field} must be a UUID`, [{ field, message: 'must be a UUID' }]);
  return value.toLowerCase();
}
