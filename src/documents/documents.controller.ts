import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Multipart } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { COMMAND_CATALOGUE, DOCUMENT_KINDS, refuse, UPLOADERS } from '../domain';
import { Commands } from '../commands/commands';
import { InvalidInput, ProblemError, type InvalidField } from '../application/errors';
import { newId, type CommandAnswer, type RequestContext } from '../application/context';
import { DOCUMENT_STORE, type DocumentStore } from '../document-store/document-store.port';
import { APP_CONFIG } from '../infrastructure/tokens';
import { CLOCK, type Clock } from '../infrastructure/clock';
import type { AppConfig } from '../infrastructure/config';
import { ProjectId } from '../http/pipes';
import { Ctx } from '../http/request-context';
import { cleanFileName, contentDisposition } from './file-names';
import { ACCEPTED_EXTENSIONS, detectFileType, extensionOf, FILE_TYPES, fileTypeOf } from './file-types';
import { ProjectDocuments, type ProjectDocument } from './project-documents';

const SHA = '56c2ac043c28d3543275a6f50b593a6beb0b6888ed8159ac02e3e7f4a32ccb26';
const DOCUMENT_EXAMPLE = {
  documentId: '9e1f3b5a-7c24-4d6e-8a0b-1c3e5f7a9b02',
  kind: 'PROPOSAL',
  name: 'JY-2026-001 项目建议书.pdf',
  size: 482133,
  sha256: SHA,
  contentType: 'application/pdf',
  uploadedAt: '2026-03-02T02:00:00.000Z',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the multipart body carried: the one file and the `kind` field. */
interface Upload {
  kind?: string;
  file?: { filename: string; bytes: Buffer };
}

/**
 * 项目文件: the files behind a project's submissions. POST stores the file (content-addressed,
 * DocumentStore) and records it on the project's stream (RecordDocumentUpload → DocumentUploaded);
 * a submission naming the documentId as its documentRef records the file's digest. Reads follow
 * the project's visibility (ProjectVisibilityGuard: another department's project is unknown).
 */
@ApiTags('project documents')
@ApiBearerAuth()
@Controller('projects/:id/documents')
export class DocumentsController {
  constructor(
    private readonly commands: Commands,
    private readonly documents: ProjectDocuments,
    @Inject(DOCUMENT_STORE) private readonly store: DocumentStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: '上传项目文件 upload a file of the project (multipart/form-data: kind, file)',
    description:
      `Command RecordDocumentUpload. Roles: ${COMMAND_CATALOGUE.RecordDocumentUpload.roles.join(', ')} ` +
      '(the construction unit any kind, the office ACCEPTANCE). 第三条. The type is decided by the bytes: ' +
      `${ACCEPTED_EXTENSIONS.join(', ')}; the name's extension must match.`,
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['kind', 'file'],
      properties: {
        kind: { type: 'string', enum: [...DOCUMENT_KINDS], description: '建议书、可研、初设、验收材料、整改报告' },
        file: {
          type: 'string',
          format: 'binary',
          description: 'one file; its name is kept (cleaned), its type read from its bytes, at most DOCUMENT_MAX_BYTES',
        },
      },
    },
  })
  @ApiCreatedResponse({
    description: 'stored and recorded (DocumentUploaded); name the documentId as a submission’s documentRef',
    schema: {
      example: { ...DOCUMENT_EXAMPLE, projectId: '3f0b…', revision: 1, position: '2', events: ['DocumentUploaded'] },
    },
  })
  async upload(
    @Param('id', ProjectId) id: string,
    @Req() request: FastifyRequest,
    @Ctx() ctx: RequestContext,
  ): Promise<Omit<ProjectDocument, 'uploadedBy'> & CommandAnswer> {
    // Who may file what is known before a byte is read: a refused upload stores nothing.
    const { roles } = COMMAND_CATALOGUE.RecordDocumentUpload;
    if (!roles.includes(ctx.actor.role)) {
      throw refuse('ROLE_NOT_ALLOWED', { role: ctx.actor.role, command: 'RecordDocumentUpload', allowed: roles });
    }
    if (!request.isMultipart()) {
      throw new ProblemError(
        415,
        'MULTIPART_REQUIRED',
        'Unsupported media type',
        'A document is uploaded as multipart/form-data with the fields kind and file.',
      );
    }
    const upload = await this.read(request);
    const problems: InvalidField[] = [];
    const kind = DOCUMENT_KINDS.find((k) => k === upload.kind);
    if (!kind) problems.push({ field: 'kind', problems: [`kind must be one of ${DOCUMENT_KINDS.join(', ')}`] });
    const name = upload.file && cleanFileName(upload.file.filename);
    if (!upload.file) problems.push({ field: 'file', problems: ['exactly one file is required'] });
    else if (upload.file.bytes.length === 0) problems.push({ field: 'file', problems: ['the file is empty'] });
    else if (!name) problems.push({ field: 'file', problems: ['the file needs a name (e.g. 建议书.pdf)'] });
    if (problems.length > 0 || !kind || !upload.file || !name) throw new InvalidInput(problems);
    const allowed = UPLOADERS[ctx.actor.role] ?? [];
    if (!allowed.includes(kind)) throw refuse('DOCUMENT_KIND_NOT_ALLOWED', { role: ctx.actor.role, kind, allowed });

    const { bytes } = upload.file;
    const type = detectFileType(bytes);
    if (!type) {
      throw new ProblemError(
        415,
        'DOCUMENT_TYPE_NOT_ALLOWED',
        'Unsupported media type',
        `The file's content is none of the accepted types (${ACCEPTED_EXTENSIONS.join(', ')}); ` +
          "the client's Content-Type and the name do not count.",
      );
    }
    const extension = extensionOf(name);
    if (!type.extensions.includes(extension)) {
      throw new ProblemError(
        415,
        'DOCUMENT_TYPE_MISMATCH',
        'Unsupported media type',
        `The file's content is ${type.contentType} (.${type.extensions.join(' or .')}), ` +
          `but its name ends in ${extension ? `.${extension}` : 'no extension'}.`,
        { detected: type.contentType, extension },
      );
    }

    // Stored before it is recorded, so no event names bytes the store lacks. A refusal of the command
    // itself (e.g. a terminated project, 409) leaves the bytes stored under their digest, unnamed.
    const { sha256, size } = await this.store.put(bytes);
    const documentId = newId(ctx, 'RecordDocumentUpload');
    const data = { documentId, kind, name, size, sha256, contentType: type.contentType };
    const answer = await this.commands.project(id, { type: 'RecordDocumentUpload', data }, ctx);
    // The instant the event recorded (a replayed Idempotency-Key answers the first upload's).
    const recorded = await this.documents.find(id, documentId);
    return { ...data, uploadedAt: recorded?.uploadedAt ?? this.clock.now().toISOString(), ...answer.body };
  }

  @Get()
  @ApiOkResponse({
    schema: {
      example: {
        documents: [
          {
            ...DOCUMENT_EXAMPLE,
            uploadedBy: { sub: 'u-1', name: '张三', role: 'CONSTRUCTION_UNIT', department: 'DSJ' },
          },
        ],
      },
    },
  })
  @ApiOperation({ summary: "The project's uploaded files, oldest first, with who uploaded each and its sha256" })
  async list(@Param('id', ProjectId) id: string): Promise<{ documents: ProjectDocument[] }> {
    return { documents: await this.documents.list(id) };
  }

  @Get(':documentId')
  @ApiOkResponse({
    description:
      "the file's bytes as uploaded (sha256 verified against the DocumentUploaded event); " +
      'Content-Disposition inline for PDF and images, attachment otherwise (RFC 5987 filename*)',
    content: Object.fromEntries(
      FILE_TYPES.map((t) => [t.contentType, { schema: { type: 'string', format: 'binary' } }]),
    ),
  })
  @ApiOperation({
    summary: 'Download a file (PDF and images inline, others as attachment); refused if its bytes changed',
  })
  async download(
    @Param('id', ProjectId) id: string,
    @Param('documentId') documentId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const document = UUID.test(documentId) ? await this.documents.find(id, documentId) : undefined;
    if (!document) {
      throw new ProblemError(404, 'DOCUMENT_NOT_FOUND', 'Not found', `No document ${documentId} on project ${id}.`);
    }
    const bytes = await this.store.get(document.sha256);
    if (!bytes) {
      throw new ProblemError(
        503,
        'DOCUMENT_UNAVAILABLE',
        'Document unavailable',
        `The bytes of document ${documentId} (sha256 ${document.sha256}) are not in the document store.`,
      );
    }
    // The digest recorded when it was uploaded, in the hash-chained event, is the proof: bytes that
    // no longer match it are never served as if they were the approved file.
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== document.sha256) {
      throw new ProblemError(
        409,
        'DOCUMENT_TAMPERED',
        'Document altered',
        `The stored bytes of document ${documentId} no longer match the sha256 recorded when it was uploaded.`,
        { recorded: document.sha256, actual },
      );
    }
    const inline = fileTypeOf(document.contentType)?.inline ?? false;
    void reply
      .header('content-type', document.contentType)
      .header('content-length', String(bytes.length))
      .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', document.name))
      .header('x-content-type-options', 'nosniff')
      .header('etag', `"sha256-${document.sha256}"`)
      .header('x-content-sha256', document.sha256)
      .send(bytes);
  }

  /**
   * The multipart body, each part read as it comes: the file buffered up to DOCUMENT_MAX_BYTES
   * (@fastify/multipart stops reading beyond it), the fields by name. Limits become problems.
   */
  private async read(request: FastifyRequest): Promise<Upload> {
    const upload: Upload = {};
    try {
      for await (const part of request.parts() as AsyncIterableIterator<Multipart>) {
        if (part.type === 'file') {
          if (upload.file) throw new InvalidInput([{ field: 'file', problems: ['exactly one file is allowed'] }]);
          upload.file = { filename: part.filename ?? '', bytes: await part.toBuffer() };
        } else if (part.fieldname === 'kind' && typeof part.value === 'string') {
          upload.kind = part.value;
        }
      }
    } catch (error) {
      throw this.problemOf(error);
    }
    return upload;
  }

  private problemOf(error: unknown): unknown {
    switch ((error as { code?: string }).code) {
      case 'FST_REQ_FILE_TOO_LARGE':
        return new ProblemError(
          413,
          'DOCUMENT_TOO_LARGE',
          'Payload too large',
          `A document may have at most ${this.config.documentMaxBytes} bytes (DOCUMENT_MAX_BYTES).`,
          { maxBytes: this.config.documentMaxBytes },
        );
      case 'FST_FILES_LIMIT':
        return new InvalidInput([{ field: 'file', problems: ['exactly one file is allowed'] }]);
      case 'FST_PARTS_LIMIT':
      case 'FST_FIELDS_LIMIT':
      case 'FST_PROTO_VIOLATION':
      case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
        return new InvalidInput([{ field: '(body)', problems: ['a multipart body with the fields kind and file'] }]);
      default:
        // Ours (a second file) as raised; anything else reading the client's bytes is a malformed body.
        return error instanceof InvalidInput || error instanceof ProblemError
          ? error
          : new InvalidInput([{ field: '(body)', problems: ['a well-formed multipart/form-data body'] }]);
    }
  }
}
