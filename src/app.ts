import helmet from 'helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module';
import { InvalidInput, sendProblem, toProblem } from './http/problem';
import { strictValidationPipe } from './http/validation';

/** Deepest JSON a request body may have; the deepest DTO needs 3. */
export const MAX_BODY_DEPTH = 32;

/** Iterative, so the check itself cannot overflow the stack. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Builds the service (used by main and by the e2e tests), not yet listening. */
export async function createApp(options: AppModuleOptions): Promise<NestFastifyApplication> {
  const { config } = options;
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Deeply nested or huge JSON is refused before it reaches validation.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    requestIdHeader: 'x-correlation-id',
    genReqId: () => crypto.randomUUID(),
    return503OnClosing: true,
    // Router-level refusals (a path parameter over maxParamLength, a malformed URL) as problem+json too.
    frameworkErrors: (error: Error, request: { url: string }, reply: unknown) => sendProblem(reply as never, toProblem(error, request.url.split('?')[0])),
    // Requests Node's HTTP parser refuses before Fastify sees them (e.g. raw non-ASCII bytes in
    // the URL, a malformed request line) get a problem+json 400 too, then the socket is closed.
    clientErrorHandler: (error: NodeJS.ErrnoException, socket: import('node:stream').Duplex) => {
      if (!socket.writable || error.code === 'ECONNRESET') return socket.destroy();
      const body = JSON.stringify({
        type: 'https://ordos.example/problems/bad-request',
        title: 'Bad request',
        status: 400,
        detail: 'The request could not be parsed; URLs must be percent-encoded (e.g. Chinese text in ?q=).',
        code: 'BAD_REQUEST',
      });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(strictValidationPipe());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  // Fastify's own refusals (malformed JSON, too large, wrong media type) as problem+json too.
  fastify.setErrorHandler((error, request, reply) => sendProblem(reply, toProblem(error, request.url.split('?')[0])));
  // JSON nested deeper than any DTO is refused before validation: class-transformer recurses
  // once per level and a 2 000-deep array (8 KB of brackets) overflowed the stack (a 500).
  fastify.addHook('preValidation', async (request) => {
    if (nestedDeeperThan(request.body, MAX_BODY_DEPTH)) {
      throw new InvalidInput([{ field: '(body)', problems: [`JSON may be nested at most ${MAX_BODY_DEPTH} levels deep`] }]);
    }
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-correlation-id', request.id);
    return payload;
  });

  // Security headers from helmet, built once: @fastify/helmet rebuilt the middleware (and
  // re-parsed the CSP) on every request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // Served over plain http inside government networks too: do not force https subresources.
        upgradeInsecureRequests: null,
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Digital Ordos project supervision')
      .setDescription('数字鄂尔多斯建设项目管理: commands, queries and audit of government IT projects (API.md)')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  return app;
}
