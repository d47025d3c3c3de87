// The OpenID provider of the fmn tests: npm's oidc-provider (pinned by package-lock.json) on
// 127.0.0.1, started by tests/support/oidc_provider.cpp.
//
//   node provider.mjs <port> <redirect_uri> <claims_in_id_token: yes|no>
//
// Two confidential clients share the redirect URI: "fmn-rs256" gets RS256-signed ID tokens,
// "fmn-es256" ES256-signed ones (their secrets are in oidc_provider.h). PKCE is required.
// Accounts: alice and bob, whose "sub" differs from their preferred_username so a test can tell
// which claim named the user (another login ends the sign-in with a provider error). The
// development interactions of oidc-provider serve the login and consent forms (any password).
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const [port, redirectUri, claimsInIdToken] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const accounts = {
  alice: { sub: 'a7f3c1e0-alice', preferred_username: 'alice', name: 'Alice Tester' },
  bob: { sub: 'b91d2e44-bob', preferred_username: 'bob', name: 'Bob Tester' },
};

function jwk(type, options, kid) {
  const { privateKey } = generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig' };
}

const client = (id, alg) => ({
  client_id: id,
  client_secret: `${id}-secret-0123456789abcdef`,
  redirect_uris: [redirectUri],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
  id_token_signed_response_alg: alg,
});

const provider = new Provider(issuer, {
  clients: [client('fmn-rs256', 'RS256'), client('fmn-es256', 'ES256')],
  jwks: {
    keys: [
      jwk('rsa', { modulusLength: 2048 }, 'test-rsa'),
      jwk('ec', { namedCurve: 'P-256' }, 'test-ec'),
    ],
  },
  claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
  conformIdTokenClaims: claimsInIdToken !== 'yes',
  pkce: { required: () => true, methods: ['S256'] },
  cookies: { keys: ['fmn-test-cookie-key'] },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => account };
  },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
