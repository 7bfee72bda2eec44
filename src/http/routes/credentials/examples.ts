import { apiUrl } from '../../../api-paths.js';

/** What the OpenAPI document shows for the credential endpoints. */
export const CREDENTIAL_EXAMPLES = {
  jwt: 'eyJhbGciOiJFZERTQSIsImtpZCI6IjNrQ3Z4In0.eyJpc3MiOiJodHRwczovL2FwaS52aXNpb25haXJlLmNhIn0.c2lnbmF0dXJl',
  html: '<!DOCTYPE html><html lang="fr">…</html>',
  issuer: {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'https://api.visionaire.ca',
    type: ['Profile'],
    name: "Vision'AI're",
    url: 'https://app.visionaire.ca',
    description:
      "Vision'AI're analyse le site web des petites entreprises et suit l'automatisation qu'elles mettent en place.",
  },
  jwks: {
    keys: [
      {
        kty: 'OKP',
        crv: 'Ed25519',
        x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
        kid: 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k',
        alg: 'EdDSA',
        use: 'sig',
      },
    ],
  },
  summary: {
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    url: apiUrl('https://api.visionaire.ca', '/credentials/0f8fad5b-d9cb-469f-a165-70867728950e'),
    badge_type: 'efficiency_expert',
    badge_name: 'Expert Efficacité',
    company: 'Boulangerie Tremblay',
    earned_at: '2026-03-02T10:00:00.000Z',
    status: 'valid',
    revoked_at: null,
    credential: 'eyJhbGciOiJFZERTQSIsImtpZCI6IjNrQ3Z4In0.eyJpc3MiOiJodHRwczovL2FwaS52aXNpb25haXJlLmNhIn0.c2lnbmF0dXJl',
    linkedin_url:
      'https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=Expert+Efficacit%C3%A9&organizationName=Vision%27AI%27re&issueYear=2026&issueMonth=3&certId=0f8fad5b-d9cb-469f-a165-70867728950e&certUrl=https%3A%2F%2Fapi.visionaire.ca%2Fapi%2Fv1%2Fcredentials%2F0f8fad5b-d9cb-469f-a165-70867728950e',
  },
} as const;
