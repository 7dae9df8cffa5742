import { JwtService, type JwtSignOptions } from '@nestjs/jwt';
import { parseArgs } from 'node:util';
import { HUMAN_ROLES } from '../http/auth';
import { ConfigError, loadConfig } from '../infrastructure/config';

/**
 * Mints a development token signed with JWT_SECRET (or the development default):
 *   npm run token -- --role OFFICE
 *   npm run token -- --role CONSTRUCTION_UNIT --department D01 --sub zhang.san --name 张三
 */
function main(): void {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      department: { type: 'string' },
      sub: { type: 'string' },
      name: { type: 'string' },
      expires: { type: 'string' },
    },
  });
  const role = values.role ?? '';
  if (!(HUMAN_ROLES as readonly string[]).includes(role)) {
    fail(`--role must be one of ${HUMAN_ROLES.join(', ')}`);
  }
  if (role === 'CONSTRUCTION_UNIT' && !values.department) fail('--department is required for CONSTRUCTION_UNIT');
  const config = loadConfig();
  const sub = values.sub ?? `${role.toLowerCase()}${values.department ? `-${values.department}` : ''}`;
  const jwt = new JwtService({ secret: config.jwtSecret });
  // Every token expires, and no later than the service accepts (TOKEN_MAX_LIFETIME_SECONDS).
  const token = jwt.sign(
    { sub, name: values.name ?? sub, role, ...(values.department ? { department: values.department } : {}) },
    {
      expiresIn: (values.expires ?? config.tokenMaxLifetimeSeconds) as JwtSignOptions['expiresIn'],
      algorithm: 'HS256',
    },
  );
  const { iat, exp } = jwt.decode<{ iat: number; exp: number }>(token);
  if (exp - iat > config.tokenMaxLifetimeSeconds) {
    fail(
      `--expires must not exceed TOKEN_MAX_LIFETIME_SECONDS (${config.tokenMaxLifetimeSeconds} s): ` +
        'the service would refuse the token',
    );
  }
  process.stdout.write(`${token}\n`);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

try {
  main();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
