import helmet from 'helmet';
import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { errorCodes, type FastifyReply, type FastifyRequest } from 'fastify';
import { authenticateBearer, tokenPolicyOf, type AuthenticatedRequest } from './http/auth';
import { sendProblem, toProblem } from './http/problem';
import { completeContract } from './http/openapi';
import { InvalidInput } from './application/errors';
import { REQUEST_ID, requestIdOf } from './http/request-context';
import { strictValidationPipe } from './http/validation';

/** The one route that reads multipart/form-data (a document upload); every other refuses it 415. */
const MULTIPART_ROUTE = '/projects/:id/documents';

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

/**
 * Fastify's error handler is set once, by the service, before any route exists. Nest sets one too,
 * at the end of app.init() (RoutesResolver.registerExceptionHandler), but Fastify binds each route
 * to the handler in force when the route is built, and a plugin awaited in an onModuleInit hook
 * (@fastify/static for the dashboard) builds them before that: which handler ran depended on
 * module order, and the second call made Fastify warn (FSTWRN004). This adapter ignores Nest's call.
 */
class ProblemFastifyAdapter extends FastifyAdapter {
  override setErrorHandler(): ReturnType<FastifyAdapter['setErrorHandler']> {
    return this.getInstance();
  }
}

/** Builds the service (used by main and by the e2e tests), not yet listening. */
export async function createApp(options: AppModuleOptions): Promise<NestFastifyApplication> {
  const { config } = options;
  const adapter = new ProblemFastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Deeply nested or huge JSON is refused before it reaches validation.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    // Not Fastify's requestIdHeader, which takes the header raw: the id goes into the permanent
    // chain (correlationId, causationId), so only a well-formed one is kept (requestIdOf).
    requestIdHeader: false,
    genReqId: (req: import('node:http').IncomingMessage) => {
      const id = requestIdOf(req.headers);
      (req as { [REQUEST_ID]?: string })[REQUEST_ID] = id;
      return id;
    },
    // A request (headers and body) must arrive within REQUEST_TIMEOUT_MS: a body trickled byte by
    // byte would otherwise hold a connection (and its buffer) for ever. connectionTimeout cuts a
    // socket idle that long (SSE heartbeats every SSE_HEARTBEAT_MS keep a stream busy).
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: Math.max(config.requestTimeoutMs, 2 * config.subscriptions.sseHeartbeatMs),
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(60_000, config.requestTimeoutMs),
      // Node checks the timeouts every 30 s by default, so a 1 s timeout would take 31 s.
      connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
    },
    return503OnClosing: true,
    // Router-level refusals (a path parameter over maxParamLength, a malformed URL) as problem+json too.
    frameworkErrors: (error: Error, request: { url: string }, reply: FastifyReply) =>
      sendProblem(reply, toProblem(error, request.url.split('?')[0])),
    // Requests Node's HTTP parser refuses before Fastify sees them (e.g. raw non-ASCII bytes in
    // the URL, a malformed request line) get a problem+json 400 too, then the socket is closed.
    clientErrorHandler: (error: NodeJS.ErrnoException, socket: import('node:stream').Duplex) => {
      if (!socket.writable || error.code === 'ECONNRESET') return socket.destroy();
      const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
      const body = JSON.stringify(
        timedOut
          ? {
              type: 'https://ordos.example/problems/request-timeout',
              title: 'Request timeout',
              status: 408,
              detail: `The request did not arrive within ${config.requestTimeoutMs} ms.`,
              code: 'REQUEST_TIMEOUT',
            }
          : {
              type: 'https://ordos.example/problems/bad-request',
              title: 'Bad request',
              status: 400,
              detail: 'The request could not be parsed; URLs must be percent-encoded (e.g. Chinese text in ?q=).',
              code: 'BAD_REQUEST',
            },
      );
      socket.end(
        `HTTP/1.1 ${timedOut ? '408 Request Timeout' : '400 Bad Request'}\r\n` +
          'Content-Type: application/problem+json; charset=utf-8\r\n' +
          'Cache-Control: no-store\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          'Connection: close\r\n' +
          `\r\n${body}`,
      );
    },
  });
  // Fastify's own refusals (malformed JSON, too large, wrong media type) as problem+json.
  adapter
    .getInstance()
    .setErrorHandler((error, request, reply) => sendProblem(reply, toProblem(error, request.url.split('?')[0])));
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  // multipart/form-data for document uploads only (POST /projects/:id/documents, which reads the
  // parts itself); JSON routes keep Fastify's JSON parser and BODY_LIMIT_BYTES. One file per
  // request, at most DOCUMENT_MAX_BYTES; the name's path is dropped by busboy and cleaned again.
  await app.register(multipart, {
    limits: { fileSize: config.documentMaxBytes, files: 1, fields: 4, fieldSize: 1024, parts: 6, headerPairs: 20 },
  });
  app.useGlobalPipes(strictValidationPipe());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  // JSON nested deeper than any DTO is refused before validation: class-transformer recurses
  // once per level and a 2 000-deep array (8 KB of brackets) overflowed the stack (a 500).
  fastify.addHook('preValidation', async (request) => {
    // JSON routes answer a multipart body as they did before @fastify/multipart was registered.
    if (request.isMultipart() && request.routeOptions.url !== MULTIPART_ROUTE) {
      throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(String(request.headers['content-type']));
    }
    if (nestedDeeperThan(request.body, MAX_BODY_DEPTH)) {
      throw new InvalidInput([
        { field: '(body)', problems: [`JSON may be nested at most ${MAX_BODY_DEPTH} levels deep`] },
      ]);
    }
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-correlation-id', request.id);
    // API answers (JSON, problem+json, exports) carry tokens' worth of data: no cache keeps them.
    // The dashboard's pages and assets, and the SSE stream, set their own cache-control.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
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

  // The bearer token is checked before a body is read: without a valid one a request that may
  // carry a body gets its 401 at once, so an anonymous client cannot make the service buffer and
  // parse up to BODY_LIMIT_BYTES. Same verification as the AuthGuard (authenticateBearer), whose
  // check then reuses the actor. Every route that takes a body needs a token (none is @Public);
  // unknown routes keep their 404.
  const jwt = new JwtService({ secret: createSecretKey(Buffer.from(config.jwtSecret)) });
  const policy = tokenPolicyOf(config);
  fastify.addHook('onRequest', async (request: FastifyRequest, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS' || request.is404) return;
    try {
      (request as AuthenticatedRequest).actor = await authenticateBearer(jwt, request.headers.authorization, policy);
    } catch (error) {
      // The unread body is not worth waiting for: the connection closes after the answer.
      reply.header('connection', 'close');
      sendProblem(reply, toProblem(error, request.url.split('?')[0]));
      return reply;
    }
  });

  const built = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Digital Ordos project supervision')
      .setDescription('数字鄂尔多斯建设项目管理: commands, queries and audit of government IT projects (docs/api.md)')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  // SwaggerModule documents the successes; completeContract adds every error answer and the examples.
  const document = completeContract(app, built);
  SwaggerModule.setup('docs', app, document);
  return app;
}
