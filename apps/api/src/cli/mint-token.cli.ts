import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../platform/auth/actor.js';
import { mintDevelopmentToken } from '../platform/auth/mint-token.js';
import { loadConfig } from '../platform/config/app-config.js';

/** npm run token -- --sub S12 --role secretary [--role clinician] [--clinic smertecenter-syd] [--expires 8h] */
const { values } = parseArgs({
  options: {
    sub: { type: 'string', default: 'dev-user' },
    role: { type: 'string', multiple: true, default: ['secretary'] },
    clinic: { type: 'string', default: 'smertecenter-syd' },
    expires: { type: 'string', default: '8h' },
  },
});

const roles = values.role;
const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
if (unknown.length > 0) {
  process.stderr.write(`Unknown role(s): ${unknown.join(', ')}. Use: ${ROLES.join(', ')}.\n`);
  process.exit(2);
}
const config = loadConfig();
const secret = config.jwtSecret;
if (!secret) {
  process.stderr.write('No HS256 secret is configured (AUTH_JWKS_URL is set, or production without AUTH_JWT_SECRET).\n');
  process.exit(2);
}
const token = await mintDevelopmentToken(secret, {
  sub: values.sub,
  roles: roles as Role[],
  clinicId: values.clinic,
  expiresIn: values.expires,
  // the API checks iss/aud when they are configured
  ...(config.AUTH_ISSUER ? { issuer: config.AUTH_ISSUER } : {}),
  ...(config.AUTH_AUDIENCE ? { audience: config.AUTH_AUDIENCE } : {}),
});
process.stdout.write(`${token}\n`);
