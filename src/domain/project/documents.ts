/**
 * 项目文件: the files behind a project's submissions — 项目建议书 (第六条), 可行性研究报告 (第六条、
 * 第八条), 初步设计方案和投资概算 (第八条), 验收材料 (第二十一条) and 整改报告 (第二十七条). The
 * bytes are stored outside the event store, content-addressed by their SHA-256; the project's
 * stream records each upload (DocumentUploaded), and a submission whose documentRef names an
 * uploaded file records its digest, so the audit trail proves which file was decided on.
 *
 * Reading of 第三条: the construction unit files its own submissions and reports (all kinds); the
 * office files the acceptance-related papers it keeps (验收材料 only). Other roles read, never upload.
 */
import { NOT_TERMINATED } from '../project-status';
import {
  AcceptanceMaterial,
  AcceptanceMaterials,
  DOCUMENT_KINDS,
  DocumentFacts,
  DocumentKind,
} from '../project-values';
import { Role } from '../roles';
import { defineRules, refusal } from '../rule';
import { ON_A_PROJECT, SharedRuleCode, recordedBy } from '../shared';
import { ProjectCommandDefinitions, ProjectEventDefinitions, requireStatus } from './guards';
import { RegisteredProject } from './state';

const DOCUMENTS = '第三条';

/** The article a file of each kind serves. */
const KIND_ARTICLES: Record<DocumentKind, string> = {
  PROPOSAL: '第六条',
  FEASIBILITY: '第六条、第八条',
  PRELIMINARY_DESIGN: '第八条',
  ACCEPTANCE: '第二十一条',
  RECTIFICATION: '第二十七条',
};

/** Who files which kind (第三条): the construction unit its submissions and reports, the office acceptance papers. */
export const UPLOADERS: Readonly<Partial<Record<Role, readonly DocumentKind[]>>> = {
  CONSTRUCTION_UNIT: DOCUMENT_KINDS,
  OFFICE: ['ACCEPTANCE'],
};

const SHA256 = /^[0-9a-f]{64}$/;

export const documentRules = defineRules({
  INVALID_DOCUMENT: {
    kind: 'RULE_VIOLATION',
    article: DOCUMENTS,
    zh: '文件类别须为建议书、可研、初设、验收材料或整改报告，且须有名称、大小和摘要',
    en: 'kind is PROPOSAL, FEASIBILITY, PRELIMINARY_DESIGN, ACCEPTANCE or RECTIFICATION; name, size and digest given',
  },
  DOCUMENT_KIND_NOT_ALLOWED: {
    kind: 'FORBIDDEN',
    article: DOCUMENTS,
    zh: '该角色不能上传此类文件：建设单位上传报送材料和报告，办公室上传验收材料',
    en:
      'this role does not file that kind: the construction unit files its submissions and reports, ' +
      'the office acceptance papers',
  },
  DOCUMENT_EXISTS: {
    kind: 'CONFLICT',
    article: DOCUMENTS,
    zh: '该文件编号已存在',
    en: 'a document with this id already exists on the project',
  },
  DOCUMENT_KIND_MISMATCH: {
    kind: 'RULE_VIOLATION',
    article: DOCUMENTS,
    zh: '报送引用的已上传文件类别与报送事项不符',
    en: 'the uploaded document the documentRef names is of another kind than this submission',
  },
});
export type DocumentRuleCode = keyof typeof documentRules;
type Code = SharedRuleCode | DocumentRuleCode;
const R = documentRules;

/**
 * The facts a submission records for its documentRef: when it names an uploaded file of the
 * project, that file's id, name, size and digest (of the submission's kind, else refused); a
 * free-text reference records nothing more, as before documents were uploaded.
 */
export function submittedDocument(
  state: RegisteredProject,
  documentRef: string | undefined,
  kind: DocumentKind,
): { document?: DocumentFacts } {
  if (documentRef === undefined || !Object.prototype.hasOwnProperty.call(state.documents, documentRef)) return {};
  const uploaded = state.documents[documentRef];
  if (uploaded.kind !== kind) {
    throw refusal(R.DOCUMENT_KIND_MISMATCH, { documentId: uploaded.documentId, kind: uploaded.kind, expected: kind });
  }
  const { documentId, name, size, sha256 } = uploaded;
  return { document: { documentId, name, size, sha256 } };
}

/**
 * The same for acceptance materials (第二十一条): each material naming an uploaded file of the
 * project records that file's facts, under the material's key; the file must be an ACCEPTANCE one.
 */
export function materialDocuments(state: RegisteredProject, materials: Partial<AcceptanceMaterials> | undefined) {
  const found: Partial<Record<AcceptanceMaterial, DocumentFacts>> = {};
  for (const [material, ref] of Object.entries(materials ?? {}) as [AcceptanceMaterial, string | undefined][]) {
    const { document } = submittedDocument(state, ref, 'ACCEPTANCE');
    if (document) found[material] = document;
  }
  return Object.keys(found).length > 0 ? { materialDocuments: found } : {};
}

export const documentCommands: ProjectCommandDefinitions<'RecordDocumentUpload', Code> = {
  /** The upload route stores the bytes, then records them here; a terminated project takes no more files. */
  RecordDocumentUpload: {
    roles: ['CONSTRUCTION_UNIT', 'OFFICE'],
    articles: DOCUMENTS,
    route: 'documents',
    accepts: NOT_TERMINATED,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'INVALID_DOCUMENT', 'DOCUMENT_KIND_NOT_ALLOWED', 'DOCUMENT_EXISTS'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { projectId, documentId, kind, name, size, sha256, contentType } = command.data;
      if (
        !DOCUMENT_KINDS.includes(kind) ||
        !name ||
        !documentId ||
        !contentType ||
        !Number.isSafeInteger(size) ||
        size <= 0 ||
        !SHA256.test(sha256)
      ) {
        throw refusal(R.INVALID_DOCUMENT, { kind, kinds: DOCUMENT_KINDS });
      }
      const allowed = UPLOADERS[ctx.actor.role] ?? [];
      if (!allowed.includes(kind)) throw refusal(R.DOCUMENT_KIND_NOT_ALLOWED, { role: ctx.actor.role, kind, allowed });
      if (Object.prototype.hasOwnProperty.call(state.documents, documentId)) {
        throw refusal(R.DOCUMENT_EXISTS, { documentId });
      }
      return [
        {
          type: 'DocumentUploaded',
          data: {
            projectId,
            documentId,
            kind,
            name,
            size,
            sha256,
            contentType,
            uploadedBy: recordedBy(ctx.actor),
            uploadedOn: ctx.today,
          },
        },
      ];
    },
  },
};

export const documentEvents: ProjectEventDefinitions<'DocumentUploaded'> = {
  DocumentUploaded: {
    label: '项目文件已上传',
    family: '立项',
    article: DOCUMENTS,
    articleOf: (event) => KIND_ARTICLES[event.data.kind] ?? DOCUMENTS,
  },
};
