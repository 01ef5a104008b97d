// A real OpenID Connect provider (oidc-provider, the certified Node.js implementation) for the sign-in tests,
// run as a child process because the library is ESM-only. Any login and password sign in (its development
// login form); the login names an account of OIDC_TEST_ACCOUNTS ({"alice": {"name", "email", "groups"}}).
// Prints "ready <issuer>" once it listens.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_TEST_PORT);
const host = process.env.OIDC_TEST_HOST ?? '127.0.0.1';
const issuer = `http://${host}:${port}`;
const accounts = JSON.parse(process.env.OIDC_TEST_ACCOUNTS ?? '{}');

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_TEST_CLIENT_ID,
      client_secret: process.env.OIDC_TEST_CLIENT_SECRET,
      redirect_uris: process.env.OIDC_TEST_REDIRECT_URLS.split(' '),
      post_logout_redirect_uris: process.env.OIDC_TEST_POST_LOGOUT_URLS.split(' '),
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  claims: { openid: ['sub'], profile: ['name', 'groups'], email: ['email'] },
  // The ID token carries the claims of its scopes, as Keycloak's and Entra ID's do with a groups mapper.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(_ctx, id) {
    const account = accounts[id] ?? {};
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: account.name ?? id, email: account.email, groups: account.groups ?? [] };
      },
    };
  },
  // A first-party client: the consent screen is skipped (oidc-provider's documented recipe).
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile email');
    await grant.save();
    return grant;
  },
});

const server = provider.listen(port, host, () => process.stdout.write(`ready ${issuer}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
