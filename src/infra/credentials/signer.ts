import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

export const SIGNING_ALG = 'EdDSA';

/** An Ed25519 key pair as JWKs; `kid` is the RFC 7638 thumbprint of the public half. */
export type KeyMaterial = { kid: string; publicJwk: JWK; privateJwk: JWK };

/** A fresh Ed25519 key pair. */
export async function generateSigningKey(): Promise<KeyMaterial> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { crv: 'Ed25519', extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub);
  const publicJwk: JWK = { kty: pub.kty, crv: pub.crv, x: pub.x, kid, alg: SIGNING_ALG, use: 'sig' };
  return { kid, publicJwk, privateJwk: { ...(await exportJWK(privateKey)), kid } };
}

/** Signs a payload as a compact JWS (VC-JWT) whose header names the key. */
export async function signJwt(
  key: Pick<KeyMaterial, 'kid' | 'privateJwk'>,
  payload: Record<string, unknown>,
): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, SIGNING_ALG);
  return new SignJWT(payload).setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'JWT' }).sign(privateKey);
}
