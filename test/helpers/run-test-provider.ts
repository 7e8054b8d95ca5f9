/**
 * Runs the tests' OpenID Connect provider on its own, to try single sign-on by hand:
 *   node test/helpers/run-test-provider.ts [app origin, default http://127.0.0.1:3000] [port, default 4400]
 * It prints the environment to start the app with. Any address signs in at its login form (verified).
 */
import { startOidcTestProvider } from './oidc-test-provider.ts';

const origin = process.argv[2] ?? 'http://127.0.0.1:3000';
const port = Number(process.argv[3] ?? 4400);
const provider = await startOidcTestProvider({ port, interactive: true, clientSecret: 'local-test-secret' });
provider.register([`${origin}/login/oidc/default/callback`], [`${origin}/login`]);
const appUrl = new URL(origin);
console.log(`Test OpenID Connect provider at ${provider.issuer}. Start the app with:

ORIGIN=${origin} PORT=${appUrl.port || '80'} OIDC_ISSUER=${provider.issuer} OIDC_CLIENT_ID=${provider.clientId} \\
  OIDC_CLIENT_SECRET=${provider.clientSecret} OIDC_NAME="Test provider" OIDC_ALLOWED_DOMAINS=example.gov.uk \\
  OIDC_NEW_PEOPLE=approval npm run serve

Then open ${origin}/login and sign in as anyone@example.gov.uk. Ctrl-C stops the provider.`);
process.on('SIGINT', () => void provider.close().then(() => process.exit(0)));
