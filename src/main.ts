import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig } from './infrastructure/config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp({ config });
  await app.listen({ port: config.port, host: config.host });
  const stores = `${config.eventStore.kind} events, ${config.readModels.kind} read models`;
  const shown =
    config.host === '0.0.0.0' || config.host === '::'
      ? 'localhost'
      : config.host.includes(':')
        ? `[${config.host}]`
        : config.host;
  const loopbackOnly =
    config.usingDevelopmentSecret && config.host === '127.0.0.1'
      ? ' (development secret: loopback only, set HOST to listen elsewhere)'
      : '';
  process.stdout.write(
    `Digital Ordos supervision service listening on http://${shown}:${config.port}${loopbackOnly} (${stores}); API docs at /docs\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
