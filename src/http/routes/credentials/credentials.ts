import { z } from 'zod';
import type { Container } from '../../../container.js';
import { apiUrl } from '../../../api-paths.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { orErrorPage } from '../link-page.js';
import {
  BadgeCredentialParams,
  CredentialParams,
  CredentialSummary,
  IssuerProfile,
  Jwks,
  StatusListParams,
  VcJwt,
} from './schema.js';
import { CREDENTIAL_EXAMPLES as EX } from './examples.js';

const VC_JWT = 'application/vc+jwt';
const HTML_PAGE = { contentType: 'text/html', schema: z.string(), example: EX.html };

/** Open Badges 3.0: the credential of an earned badge, the issuer, its keys, the revocation list and the public page. */
export function credentialRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute<z.infer<typeof BadgeCredentialParams>>({
      method: 'get',
      path: '/dashboard/:analysisId/badges/:badgeType/credential',
      operationId: 'getBadgeCredential',
      tags: ['Badges'],
      summary: 'The Open Badges 3.0 credential of an earned badge, signed (VC-JWT); 404 when the badge is not earned',
      params: BadgeCredentialParams,
      responses: {
        200: {
          description: 'OpenBadgeCredential as a compact JWS',
          contentType: VC_JWT,
          schema: VcJwt,
          example: EX.jwt,
        },
      },
      async handle(ctx, { params }) {
        const row = await c.credentials.credentialFor(params.analysisId, params.badgeType);
        const page = apiUrl(c.config.publicUrl, `/credentials/${row.id}`);
        ctx.set('Link', `<${page}>; rel="alternate"; type="text/html"`);
        ctx.set('Cache-Control', 'no-store');
        ctx.type = VC_JWT;
        ctx.body = row.jwt;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/issuer',
      operationId: 'getIssuer',
      tags: ['Badges'],
      summary: 'The issuer Profile of every credential (Open Badges 3.0)',
      responses: { 200: { description: 'Issuer profile', schema: IssuerProfile, example: EX.issuer } },
      async handle(ctx) {
        ctx.set('Cache-Control', 'public, max-age=3600');
        ctx.body = c.credentials.issuer();
      },
    }),
    defineRoute({
      method: 'get',
      path: '/issuer/jwks.json',
      operationId: 'getIssuerJwks',
      tags: ['Badges'],
      summary: 'The public signing keys, current and retired (JWKS); verify credentials against it',
      responses: { 200: { description: 'JSON Web Key Set', schema: Jwks, example: EX.jwks } },
      async handle(ctx) {
        ctx.set('Cache-Control', 'public, max-age=300');
        ctx.body = await c.credentials.jwks();
      },
    }),
    defineRoute<z.infer<typeof StatusListParams>>({
      method: 'get',
      path: '/credentials/status/:list',
      operationId: 'getCredentialStatusList',
      tags: ['Badges'],
      summary: 'The revocation list (W3C Bitstring Status List), signed (VC-JWT)',
      params: StatusListParams,
      responses: {
        200: { description: 'BitstringStatusListCredential', contentType: VC_JWT, schema: VcJwt, example: EX.jwt },
      },
      async handle(ctx, { params }) {
        ctx.set('Cache-Control', 'public, max-age=60');
        ctx.type = VC_JWT;
        ctx.body = await c.credentials.statusList(params.list);
      },
    }),
    defineRoute<z.infer<typeof CredentialParams>>({
      method: 'get',
      path: '/credentials/:credentialId',
      operationId: 'getCredential',
      tags: ['Badges'],
      summary: `A credential's public page (valid or revoked, with an "Add to LinkedIn" link); JSON or ${VC_JWT} on request`,
      params: CredentialParams,
      responses: {
        200: {
          description: 'The page, or the credential and its status',
          ...HTML_PAGE,
          also: [
            { contentType: 'application/json', schema: CredentialSummary, example: EX.summary },
            { contentType: VC_JWT, schema: VcJwt, example: EX.jwt },
          ],
        },
      },
      async handle(ctx, { params }) {
        // People's browsers ask for text/html by name; anything else (`*/*` included) gets JSON or the JWT.
        const asked = ctx.get('accept');
        const wants = /text\/html/i.test(asked) ? 'html' : /application\/vc\+jwt/i.test(asked) ? VC_JWT : 'json';
        const messages = { 404: "Ce justificatif n'existe pas." };
        await orErrorPage(c, ctx, wants === 'html', 'credentials/page', messages, async () => {
          const v = await c.credentials.view(params.credentialId);
          ctx.set('Cache-Control', 'no-cache');
          if (wants === VC_JWT) {
            ctx.type = VC_JWT;
            ctx.body = v.jwt;
          } else if (wants === 'html') {
            ctx.type = 'html';
            ctx.body = c.views.html('credentials/page', { state: v.status, heading: v.badge_name, ...pageData(v) });
          } else {
            const { jwt, issued_at: _issued, ...rest } = v;
            ctx.body = {
              ...rest,
              earned_at: v.earned_at.toISOString(),
              revoked_at: v.revoked_at?.toISOString() ?? null,
              credential: jwt,
            };
          }
        });
      },
    }),
  ];
}

const DATE = new Intl.DateTimeFormat('fr-CA', { dateStyle: 'long', timeZone: 'UTC' });

function pageData(v: Awaited<ReturnType<Container['credentials']['view']>>) {
  return {
    company: v.company,
    earnedOn: DATE.format(v.earned_at),
    revokedOn: v.revoked_at ? DATE.format(v.revoked_at) : null,
    url: v.url,
    jwt: v.jwt,
    linkedinUrl: v.linkedin_url,
  };
}
