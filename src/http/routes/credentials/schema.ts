import { z } from 'zod';
import { CanonicalUuid, UuidOut } from '../../../domain/ids.js';

export const BadgeCredentialParams = z.object({
  analysisId: CanonicalUuid,
  badgeType: z
    .string()
    .regex(/^[a-z0-9_]{1,50}$/, { message: 'must be a badge type such as efficiency_expert' })
    .meta({ example: 'efficiency_expert' }),
});
export const CredentialParams = z.object({ credentialId: CanonicalUuid });
export const StatusListParams = z.object({
  list: z.coerce.number().int().min(1).max(1_000_000).meta({ example: 1 }),
});

/** A compact JWS (VC-JWT): header.payload.signature, base64url. */
export const VcJwt = z
  .string()
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
  .meta({ id: 'VcJwt', description: 'Compact JWS, EdDSA (Ed25519); its payload is the credential (VC-JWT)' });

export const IssuerProfile = z
  .object({
    '@context': z.array(z.string()),
    id: z.string(),
    type: z.array(z.string()),
    name: z.string(),
    url: z.string(),
    description: z.string(),
  })
  .meta({ id: 'IssuerProfile' });

export const Jwks = z
  .object({
    keys: z.array(
      z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: z.string() }).passthrough(),
    ),
  })
  .meta({ id: 'JsonWebKeySet' });

export const CredentialSummary = z
  .object({
    id: UuidOut,
    url: z.string(),
    badge_type: z.string(),
    badge_name: z.string(),
    company: z.string(),
    earned_at: z.iso.datetime(),
    status: z.enum(['valid', 'revoked']),
    revoked_at: z.iso.datetime().nullable(),
    credential: VcJwt,
    linkedin_url: z.string(),
  })
  .meta({ id: 'CredentialSummary' });
