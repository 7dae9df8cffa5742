import { ForbiddenException, HttpException, type INestApplication, UnauthorizedException } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { COMMAND_CATALOGUE, invalidState, refuse, RULES, type CommandType, type RuleCode } from '../domain';
import {
  AppendOutcomeUnknown,
  RevisionConflict,
  StoreCorrupt,
  StoreUnavailable,
} from '../event-store/event-store.port';
import { InvalidInput, ProblemError } from '../application/errors';
import { DOMAIN_STATUS, HTTP_CODES, toProblem, type Problem } from './problem';
import { routeAccess } from './auth';
import { REQUEST_EXAMPLES } from './openapi-examples';

/**
 * The OpenAPI document tells the whole contract: SwaggerModule documents what the controllers
 * return on success; this module adds, to every operation, the problem+json answers it can give,
 * with the codes each can carry. The codes come from the code itself (the domain's RULES and the
 * refusals of COMMAND_CATALOGUE, toProblem's mapping, the ProblemErrors the application raises),
 * so a controller needs no decorator per error and a new rule reaches the document by itself.
 */

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
const PROBLEM_REF = '#/components/schemas/Problem';

type Schema = Record<string, unknown>;
type Operation = {
  operationId?: string;
  parameters?: Array<{ in: string; name: string; required?: boolean }>;
  requestBody?: { content?: Record<string, { schema?: Schema; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
  description?: string;
};

type Access = { public: boolean; roles?: readonly string[] };

/** One error answer: the status and the code it carries, with what it means. */
interface Answer {
  status: number;
  code: string;
  /** the problem as toProblem emits it, for the example */
  problem: Problem;
  /** the example is shared by many operations: components.examples[ref] */
  ref?: string;
}

const PROBLEM_SCHEMA: Schema = {
  type: 'object',
  description: 'RFC 9457 problem details; `code` is stable and part of the contract (docs/api.md)',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://ordos.example/problems/validation-failed' },
    title: { type: 'string', description: 'short English summary of the code' },
    status: { type: 'integer', minimum: 400, maximum: 599, description: 'the HTTP status, repeated' },
    detail: { type: 'string', description: 'this occurrence; for a rule, the Chinese text then the English one' },
    code: { type: 'string', description: 'stable machine-readable code, e.g. ADJUSTMENT_EXCEEDS_LIMIT' },
    article: { type: 'string', description: 'the article of the measures a refusal rests on', example: '第二十条' },
    instance: { type: 'string', description: 'the request path (no query string)' },
    errors: {
      type: 'array',
      description: 'VALIDATION_FAILED only: every invalid field at once, nested ones by dotted path',
      items: { $ref: '#/components/schemas/InvalidField' },
    },
    currentStatus: { type: 'string', description: "INVALID_STATE: the project's status" },
    expectedRevision: { type: 'integer', description: 'REVISION_CONFLICT: the revision the client sent' },
    actualRevision: { type: 'integer', description: "REVISION_CONFLICT: the stream's current revision" },
  },
  additionalProperties: true,
};

const INVALID_FIELD_SCHEMA: Schema = {
  type: 'object',
  required: ['field', 'problems'],
  properties: {
    field: { type: 'string', example: 'startedOn' },
    problems: { type: 'array', items: { type: 'string' }, example: ['startedOn must be a date YYYY-MM-DD'] },
  },
};

/** What Nest raises for a status (HttpException), or Fastify (an error with a statusCode). */
const http = (status: number, detail?: string): Problem =>
  toProblem(new HttpException(detail ?? HTTP_CODES[status][1], status));
const fastify = (status: number): Problem => toProblem(Object.assign(new Error('refused'), { statusCode: status }));
const application = (status: number, code: string, title: string, detail: string): Problem =>
  toProblem(new ProblemError(status, code, title, detail));

/** Answers of the application and HTTP layers, each built by toProblem from the error that causes it. */
const PROBLEMS = {
  BAD_REQUEST: () => fastify(400),
  BAD_URL: () => toProblem(Object.assign(new Error('refused'), { statusCode: 400, code: 'FST_ERR_BAD_URL' })),
  UNAUTHENTICATED: () => toProblem(new UnauthorizedException('A bearer token is required')),
  FORBIDDEN: () => toProblem(new ForbiddenException('This action needs one of the roles OFFICE')),
  NOT_FOUND: () => http(404, 'No webhook subscription 6f1c…'),
  // Written by app.ts's clientErrorHandler on the socket, before Fastify sees the request.
  REQUEST_TIMEOUT: () => ({
    type: 'https://ordos.example/problems/request-timeout',
    title: 'Request timeout',
    status: 408,
    detail: 'The request did not arrive within 30000 ms.',
    code: 'REQUEST_TIMEOUT',
  }),
  PAYLOAD_TOO_LARGE: () => fastify(413),
  URI_TOO_LONG: () => fastify(414),
  UNSUPPORTED_MEDIA_TYPE: () => fastify(415),
  RATE_LIMITED: () => http(429, 'ThrottlerException: Too Many Requests'),
  INTERNAL: () => toProblem(new Error('unexpected')),
  STORE_CORRUPT: () => toProblem(new StoreCorrupt('damaged')),
  STORE_UNAVAILABLE: () => toProblem(new StoreUnavailable('down')),
  STORE_OUTCOME_UNKNOWN: () => toProblem(new AppendOutcomeUnknown('unconfirmed')),
  REVISION_CONFLICT: () => toProblem(new RevisionConflict('project-…', 4, 5)),
  INVALID_QUERY: () =>
    application(400, 'INVALID_QUERY', 'Invalid query', 'The query uses a field or operator that is not supported.'),
  INVALID_POSITION: () =>
    application(400, 'INVALID_POSITION', 'Invalid position', 'The position is not one this event store issued.'),
  IDEMPOTENCY_KEY_REUSED: () =>
    application(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'Idempotency-Key reused',
      'This Idempotency-Key was used with another request body.',
    ),
  IDEMPOTENCY_KEY_IN_PROGRESS: () =>
    application(
      409,
      'IDEMPOTENCY_KEY_IN_PROGRESS',
      'Idempotency-Key in progress',
      'A request with this Idempotency-Key is still being handled; retry.',
    ),
  CONTENDED: () =>
    application(503, 'CONTENDED', 'Project contended', 'Too many concurrent writers on this project; retry.'),
  READ_MODEL_BEHIND: () =>
    application(
      503,
      'READ_MODEL_BEHIND',
      'Read model not yet up to date',
      'Revision 7 was not projected within 5000 ms; retry.',
    ),
  TOO_MANY_WAITING_READS: () =>
    application(
      503,
      'TOO_MANY_WAITING_READS',
      'Too many waiting reads',
      'At most 1000 reads may wait for a revision at once; retry.',
    ),
  PROJECT_NOT_FOUND_READ: () => application(404, 'PROJECT_NOT_FOUND', 'Not found', 'No project 0b4c…'),
  DEPARTMENT_NOT_FOUND: () =>
    application(404, 'DEPARTMENT_NOT_FOUND', 'Not found', 'No department with this code has projects.'),
  SYSTEM_NOT_FOUND_READ: () => application(404, 'SYSTEM_NOT_FOUND', 'Not found', 'No system 5d0c….'),
  ANNUAL_PLAN_NOT_FOUND: () => application(404, 'ANNUAL_PLAN_NOT_FOUND', 'Not found', 'No annual plan for 2026 yet.'),
  FRAMEWORK_NOT_FOUND_READ: () => application(404, 'FRAMEWORK_NOT_FOUND', 'Not found', 'No framework 6d4a…'),
  NO_STATE_AT_THAT_POINT: () =>
    application(404, 'NO_STATE_AT_THAT_POINT', 'Not found', 'Project 0b4c… did not exist yet at that point.'),
  PROJECTION_NOT_FOUND: () => application(404, 'PROJECTION_NOT_FOUND', 'Not found', 'No projection nope.'),
  TOO_MANY_STREAMS: () =>
    application(
      429,
      'TOO_MANY_STREAMS',
      'Too many event streams',
      'At most 5 event streams per user; close one first.',
    ),
  UNHEALTHY: () => application(503, 'UNHEALTHY', 'Service unavailable', 'A data store or a projection is not healthy.'),
  READ_FORBIDDEN: () => ({
    ...application(403, 'FORBIDDEN', 'Forbidden', 'A construction unit may only read its own department (第三条).'),
    article: '第三条',
  }),
  // 项目文件 (src/documents): what the upload and the download raise themselves
  MULTIPART_REQUIRED: () =>
    application(
      415,
      'MULTIPART_REQUIRED',
      'Unsupported media type',
      'A document is uploaded as multipart/form-data with the fields kind and file.',
    ),
  DOCUMENT_TYPE_NOT_ALLOWED: () =>
    application(
      415,
      'DOCUMENT_TYPE_NOT_ALLOWED',
      'Unsupported media type',
      "The file's content is none of the accepted types (pdf, png, jpg, jpeg, docx, xlsx, pptx, doc, xls).",
    ),
  DOCUMENT_TYPE_MISMATCH: () =>
    application(
      415,
      'DOCUMENT_TYPE_MISMATCH',
      'Unsupported media type',
      "The file's content is application/pdf (.pdf), but its name ends in .docx.",
    ),
  DOCUMENT_TOO_LARGE: () =>
    application(413, 'DOCUMENT_TOO_LARGE', 'Payload too large', 'A document may have at most 52428800 bytes.'),
  DOCUMENT_NOT_FOUND: () => application(404, 'DOCUMENT_NOT_FOUND', 'Not found', 'No document 9e1f… on project 0b4c….'),
  DOCUMENT_UNAVAILABLE: () =>
    application(503, 'DOCUMENT_UNAVAILABLE', 'Document unavailable', 'The bytes of document 9e1f… are not stored.'),
  DOCUMENT_TAMPERED: () =>
    application(
      409,
      'DOCUMENT_TAMPERED',
      'Document altered',
      'The stored bytes of document 9e1f… no longer match the sha256 recorded when it was uploaded.',
    ),
  HISTORY_FORBIDDEN: () => ({
    ...application(
      403,
      'FORBIDDEN',
      'Forbidden',
      "History is open to the audit bureau, the office and the project's own department (第二十八条).",
    ),
    article: '第二十八条',
  }),
} satisfies Record<string, () => Problem>;

type Known = keyof typeof PROBLEMS;
const answer = (name: Known): Answer => {
  const problem = PROBLEMS[name]();
  return { status: problem.status, code: problem.code, problem, ref: name };
};
const validation = (fields: string[]): Answer => {
  const problem = toProblem(new InvalidInput(fields.map((field) => ({ field, problems: [`${field} is invalid`] }))));
  return { status: 400, code: problem.code, problem };
};

/** A refusal of the domain, with the status its kind maps to (DOMAIN_STATUS). */
export function ruleAnswer(code: RuleCode): Answer {
  const problem = toProblem(refuse(code));
  return { status: DOMAIN_STATUS[RULES[code].kind], code, problem, ref: `rule.${code}` };
}

/**
 * The refusal codes a command's decision can raise: the catalogue's own list, or, while a
 * command has none, every rule of the articles the command rests on and the checks of the role,
 * the project and the department.
 */
export function refusalsOf(type: CommandType): RuleCode[] {
  const info = COMMAND_CATALOGUE[type];
  if (info.refusals) return [...info.refusals];
  const articles = new Set(info.articles.split('、'));
  const codes = Object.keys(RULES) as RuleCode[];
  const ofArticles = codes.filter((code) => RULES[code].article.split('、').some((a) => articles.has(a)));
  const checks: RuleCode[] = ['ROLE_NOT_ALLOWED', 'OTHER_DEPARTMENT', 'PROJECT_NOT_FOUND'];
  // A registration opens the stream: it meets neither an unknown project nor another department's.
  const unreachable: RuleCode[] = info.creates ? ['PROJECT_NOT_FOUND', 'OTHER_DEPARTMENT'] : [];
  return [...new Set([...ofArticles, ...checks])].filter((code) => !unreachable.includes(code));
}

/**
 * Refusals a command meets whatever its own decision: project-decide checks the role, the policy
 * in force, that the project exists and is the caller's department's (the dispatcher re-checks
 * role and department on an Idempotency-Key replay); the annual-plan decider checks the role.
 */
export function commonRefusalsOf(type: CommandType): RuleCode[] {
  const info = COMMAND_CATALOGUE[type];
  if (info.route.startsWith('/annual-plans')) return ['ROLE_NOT_ALLOWED'];
  // An existing system (第二十四条) has no project, department check or status.
  if (info.route.startsWith('/systems')) return ['ROLE_NOT_ALLOWED', 'NO_POLICY_IN_FORCE'];
  // 第七条 the framework decider checks the policy in force and the role; visibility is its own refusal.
  if (info.route.startsWith('/frameworks')) return ['ROLE_NOT_ALLOWED', 'NO_POLICY_IN_FORCE'];
  if (info.creates) return ['ROLE_NOT_ALLOWED', 'NO_POLICY_IN_FORCE', 'DEPARTMENT_MISMATCH'];
  return ['ROLE_NOT_ALLOWED', 'NO_POLICY_IN_FORCE', 'PROJECT_NOT_FOUND', 'OTHER_DEPARTMENT'];
}

/** The command a POST route issues, matched on COMMAND_CATALOGUE[type].route. */
export function commandOf(method: string, path: string): CommandType | undefined {
  if (method !== 'post') return undefined;
  const types = Object.keys(COMMAND_CATALOGUE) as CommandType[];
  return types.find((type) => {
    const route = COMMAND_CATALOGUE[type].route;
    if (route.startsWith('/')) return route.replace(/:(\w+)/g, '{$1}') === path;
    return path === `/projects/{id}/${route}`;
  });
}

/**
 * Answers of one operation, from what kind of route it is. `access` is what the AuthGuard reads
 * on the handler (@Public, @Roles).
 */
function answersOf(
  method: string,
  path: string,
  op: Operation,
  access: Access,
  schemas: Record<string, Schema>,
): Answer[] {
  const out: Answer[] = [];
  const push = (...names: Known[]) => out.push(...names.map(answer));
  // Every route: a malformed request (malformed JSON, a bad URL, clientErrorHandler), the rate limit
  // (ThrottlerGuard is global), and the failures of the service and its stores.
  const body = op.requestBody?.content?.['application/json']?.schema;
  push(
    body ? 'BAD_REQUEST' : 'BAD_URL',
    'REQUEST_TIMEOUT',
    'RATE_LIMITED',
    'INTERNAL',
    'STORE_CORRUPT',
    'STORE_UNAVAILABLE',
  );
  if (!access.public) push('UNAUTHENTICATED');
  if (access.roles) push('FORBIDDEN');
  const params = op.parameters ?? [];
  const inputs = params.filter((p) => p.in !== 'header').map((p) => p.name);
  if (params.some((p) => p.in === 'path')) push('URI_TOO_LONG');
  if (body) {
    push('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
    inputs.push(...requiredOf(body, schemas));
  }
  // A document upload (multipart/form-data) names its missing parts; its limits are its own (EXTRA).
  const parts = op.requestBody?.content?.['multipart/form-data']?.schema;
  if (parts) inputs.push(...requiredOf(parts, schemas));
  const type = commandOf(method, path);
  if (type) inputs.push('Idempotency-Key');
  if (inputs.length > 0 || body) out.push(validation(inputs.length > 0 ? inputs : ['(body)']));
  if (type) {
    push(
      'REVISION_CONFLICT',
      'IDEMPOTENCY_KEY_IN_PROGRESS',
      'IDEMPOTENCY_KEY_REUSED',
      'CONTENDED',
      'STORE_OUTCOME_UNKNOWN',
    );
    const info = COMMAND_CATALOGUE[type];
    const articles = info.articles.split('、')[0];
    const problem = toProblem(invalidState(type, 'DRAFT_PLAN', articles));
    if (!info.route.startsWith('/systems')) out.push({ status: 409, code: 'INVALID_STATE', problem });
    out.push(...[...new Set([...commonRefusalsOf(type), ...refusalsOf(type)])].map(ruleAnswer));
  } else if (/^\/projects\/\{id\}/.test(path)) {
    push('PROJECT_NOT_FOUND_READ');
  }
  out.push(...(EXTRA[`${method.toUpperCase()} ${path}`] ?? []).map(answer));
  return out;
}

/** What a route raises itself (a `new ProblemError(…)` in its controller or query). */
const EXTRA: Record<string, Known[]> = {
  'GET /projects': ['READ_FORBIDDEN', 'INVALID_QUERY'],
  'GET /projects/{id}': ['READ_MODEL_BEHIND', 'TOO_MANY_WAITING_READS'],
  'GET /dashboard/summary': ['INVALID_QUERY'],
  'GET /rectifications': ['READ_FORBIDDEN', 'INVALID_QUERY'],
  'GET /deadlines': ['READ_FORBIDDEN', 'INVALID_QUERY'],
  'GET /om-eligibility': ['READ_FORBIDDEN', 'INVALID_QUERY'],
  'GET /annual-plans/{year}': ['ANNUAL_PLAN_NOT_FOUND'],
  // 第二十四条 the ban is read once the systems read model has caught up (ConstructionBanService)
  'POST /projects': ['READ_MODEL_BEHIND'],
  'POST /projects/{id}/start-construction': ['READ_MODEL_BEHIND'],
  'POST /projects/{id}/file-adjustment': ['READ_MODEL_BEHIND'],
  'GET /systems': ['READ_FORBIDDEN', 'READ_MODEL_BEHIND'],
  'GET /systems/{id}': ['SYSTEM_NOT_FOUND_READ', 'READ_MODEL_BEHIND'],
  'GET /frameworks': ['READ_FORBIDDEN'],
  'GET /frameworks/{id}': ['FRAMEWORK_NOT_FOUND_READ'],
  'GET /departments/{code}/record': ['DEPARTMENT_NOT_FOUND'],
  'GET /projects/{id}/history': ['HISTORY_FORBIDDEN'],
  'GET /projects/{id}/state': ['HISTORY_FORBIDDEN', 'NO_STATE_AT_THAT_POINT'],
  'GET /audit/events': ['INVALID_POSITION'],
  'GET /audit/export': ['INVALID_POSITION'],
  'GET /audit/verify': ['PROJECT_NOT_FOUND_READ'],
  'GET /events/stream': ['TOO_MANY_STREAMS', 'INVALID_POSITION'],
  'GET /subscriptions/{id}': ['NOT_FOUND'],
  'DELETE /subscriptions/{id}': ['NOT_FOUND'],
  'POST /subscriptions/{id}/redeliver': ['NOT_FOUND', 'INVALID_POSITION'],
  'POST /admin/projections/{name}/rebuild': ['PROJECTION_NOT_FOUND'],
  'GET /health': ['UNHEALTHY'],
  'GET /dev/identities': ['NOT_FOUND'],
  // Excel exports (issue 14): the lists' own answers, and history's access for a project's file
  'GET /projects/export.xlsx': ['READ_FORBIDDEN', 'INVALID_QUERY'],
  'GET /deadlines/export.xlsx': ['READ_FORBIDDEN', 'INVALID_QUERY'],
  'GET /projects/{id}/archive.xlsx': ['HISTORY_FORBIDDEN'],
  'POST /projects/{id}/documents': [
    'MULTIPART_REQUIRED',
    'DOCUMENT_TYPE_NOT_ALLOWED',
    'DOCUMENT_TYPE_MISMATCH',
    'DOCUMENT_TOO_LARGE',
  ],
  'GET /projects/{id}/documents/{documentId}': ['DOCUMENT_NOT_FOUND', 'DOCUMENT_UNAVAILABLE', 'DOCUMENT_TAMPERED'],
};

/** The required fields of a body schema: what an empty body's VALIDATION_FAILED names. */
function requiredOf(schema: Schema, schemas: Record<string, Schema>): string[] {
  const ref = typeof schema.$ref === 'string' ? schema.$ref.split('/').pop() : undefined;
  const resolved = ref ? schemas[ref] : schema;
  return ((resolved?.required as string[] | undefined) ?? []).slice();
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Malformed or invalid input',
  401: 'No valid bearer token',
  403: 'The role or department may not do this',
  404: "Not found (another department's project is not found either)",
  408: 'The request did not arrive in time',
  409: 'Conflict with the current state or revision',
  413: 'Body larger than BODY_LIMIT_BYTES',
  414: 'A path parameter is too long',
  415: 'Body not application/json',
  422: 'Refused by a rule of the measures (with its article) or a reused Idempotency-Key',
  429: 'Too many requests',
  500: 'Internal error or a damaged store',
  503: 'A store is unavailable or busy for now; retry (while shutting down, Fastify answers 503 with its own JSON)',
};

const EXAMPLES_REF = '#/components/examples/';
const exampleOf = (a: Answer) => ({ summary: a.problem.title, value: a.problem });

/** The response for one status: the Problem schema narrowed to its codes, one example per code. */
function response(status: number, answers: Answer[], previous?: { description: string }): Record<string, unknown> {
  const byCode = new Map<string, Answer>();
  for (const a of answers) if (!byCode.has(a.code)) byCode.set(a.code, a);
  const codes = [...byCode.keys()];
  const lines = [...byCode.values()].map((a) => {
    const article = typeof a.problem.article === 'string' ? ` (${a.problem.article})` : '';
    return `- \`${a.code}\`${article}: ${a.problem.title}`;
  });
  const head = previous?.description || STATUS_TEXT[status] || HTTP_CODES[status]?.[1] || 'Error';
  return {
    description: `${head}. Codes:\n${lines.join('\n')}`,
    content: {
      [PROBLEM_MEDIA_TYPE]: {
        schema: {
          allOf: [
            { $ref: PROBLEM_REF },
            {
              type: 'object',
              properties: {
                status: { type: 'integer', enum: [status] },
                code: { type: 'string', enum: codes },
              },
            },
          ],
        },
        examples: Object.fromEntries(
          [...byCode.values()].map((a) => [a.code, a.ref ? { $ref: `${EXAMPLES_REF}${a.ref}` } : exampleOf(a)]),
        ),
      },
    },
  };
}

/** Operations' handlers as the AuthGuard sees them, by operationId (SwaggerModule's Controller_method). */
function accessByOperationId(nest: INestApplication): Map<string, Access> {
  const out = new Map<string, Access>();
  for (const module of nest.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const cls = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!cls?.prototype) continue;
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        if (name === 'constructor') continue;
        const handler = (cls.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        out.set(`${cls.name}_${name}`, routeAccess(handler, cls));
      }
    }
  }
  return out;
}

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'the same key with the same body returns the first answer and appends nothing; with another body: ' +
    '422 IDEMPOTENCY_KEY_REUSED (1–200 characters of A-Z a-z 0-9 . _ : -)',
  schema: { type: 'string', maxLength: 200, pattern: '^[A-Za-z0-9._:-]{1,200}$' },
};

/**
 * Completes the document SwaggerModule built: the Problem schema, every operation's error
 * answers, the Idempotency-Key header of command routes and a valid example for every request
 * body (openapi-examples.ts). Mutates and returns `document`.
 */
export function completeContract(nest: INestApplication, document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.Problem = PROBLEM_SCHEMA;
  document.components.schemas.InvalidField = INVALID_FIELD_SCHEMA;
  const access = accessByOperationId(nest);
  const schemas = document.components.schemas as Record<string, Schema>;
  // Examples shared by many operations are written once, under components.examples.
  const examples: Record<string, { summary: string; value: Problem }> = {};
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item as Record<string, unknown>)) {
      if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
      const op = value as Operation;
      const routeAccessOf = access.get(op.operationId ?? '') ?? { public: false };
      const type = commandOf(method, path);
      if (type && !(op.parameters ?? []).some((p) => p.name === IDEMPOTENCY_KEY.name)) {
        op.parameters = [...(op.parameters ?? []), IDEMPOTENCY_KEY];
      }
      const byStatus = new Map<number, Answer[]>();
      for (const a of answersOf(method, path, op, routeAccessOf, schemas)) {
        byStatus.set(a.status, [...(byStatus.get(a.status) ?? []), a]);
        if (a.ref) examples[a.ref] ??= exampleOf(a);
      }
      for (const [status, answers] of [...byStatus].sort(([a], [b]) => a - b)) {
        const key = String(status);
        op.responses[key] = response(status, answers, op.responses[key]) as Operation['responses'][string];
      }
      const example = REQUEST_EXAMPLES[`${method.toUpperCase()} ${path}`];
      // A document upload's body is multipart/form-data (kind and the file's bytes).
      const json = op.requestBody?.content?.['application/json'] ?? op.requestBody?.content?.['multipart/form-data'];
      if (json && example !== undefined) json.example = example;
    }
  }
  document.components.examples = { ...document.components.examples, ...sortedByKey(examples) };
  return document;
}

const sortedByKey = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
