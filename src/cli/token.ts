import { JwtService } from '@nestjs/jwt';
import { parseArgs } from 'node:util';
import { HUMAN_ROLES } from '../http/auth';
import { ConfigError, loadConfig } from '../config';

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
      expires: { type: 'string', default: '12h' },
    },
  });
  const role = values.role ?? '';
  if (!(HUMAN_ROLES as readonly string[]).includes(role)) {
    fail(`--role must be one of ${HUMAN_ROLES.join(', ')}`);
  }
  if (role === 'CONSTRUCTION_UNIT' && !values.department) fail('--department is required for CONSTRUCTION_UNIT');
  const config = loadConfig();
  const sub = values.sub ?? `${role.toLowerCase()}${values.department ? `-${values.department}` : ''}`;
  const token = new JwtService({ secret: config.jwtSecret }).sign(
    { sub, name: values.name ?? sub, role, ...(values.department ? { department: values.department } : {}) },
    { expiresIn: values.expires as never, algorithm: 'HS256' },
  );
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
