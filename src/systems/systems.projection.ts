import { banReasonsOf, omEligibility, type ComplianceFacts, type ComplianceRecord } from '../domain';
import type { StoredEvent } from '../event-store/event-store.port';
import { decidedUnder, type DocBody, type Projection } from '../projections/projection';
import { PROJECT_STREAM_PREFIX, SYSTEM_STREAM_PREFIX } from '../application/streams';

/**
 * 第二十四条 a department's systems: its projects (in operation once their acceptance passed) and
 * the existing systems it inventoried (存量系统), each with its latest compliance facts, the
 * government's exemption, the O&M findings and the findings that ban the department from
 * building. One document per stream (`project-<id>`, `system-<id>`), fed only by the few event
 * types that matter, so it stays close to the head: the command path waits for it.
 */
export const systemsProjection: Projection = {
  name: 'systems',
  version: 1,
  collection: 'systems',
  indexes: [{ fields: { departmentCode: 1, banned: 1 } }, { fields: { listed: 1, departmentCode: 1, name: 1 } }],
  types: [
    'ProjectRegistered',
    'ComplianceRecorded',
    'SharingExemptionGranted',
    'AcceptancePassed',
    'ExistingSystemInventoried',
    'SystemComplianceRecorded',
    'SystemSharingExemptionGranted',
  ],
  route: (event) =>
    event.streamId.startsWith(PROJECT_STREAM_PREFIX) || event.streamId.startsWith(SYSTEM_STREAM_PREFIX)
      ? [event.streamId]
      : [],
  evolve(doc, event) {
    const d = event.data;
    switch (event.type) {
      case 'ProjectRegistered':
      case 'ExistingSystemInventoried': {
        const project = event.type === 'ProjectRegistered';
        return {
          kind: project ? 'PROJECT' : 'EXISTING_SYSTEM',
          id: String(project ? d.projectId : d.systemId),
          departmentCode: d.departmentCode,
          name: d.name,
          ...(project ? { nature: d.nature } : { inCatalogue: d.inCatalogue, description: d.description }),
          // an existing system is in use; a project once its acceptance passed (第二十一条)
          inOperation: !project,
          since: project ? null : d.inventoriedOn,
          compliance: { facts: null, sharingExemption: null },
          complianceRecordedOn: null,
          ...stamp(event, doc),
        };
      }
      case 'AcceptancePassed':
        return doc && { ...doc, inOperation: true, since: d.acceptedOn ?? null, ...stamp(event, doc) };
      case 'ComplianceRecorded':
      case 'SystemComplianceRecorded': {
        if (!doc) return null;
        const facts: ComplianceFacts = {
          sharesData: d.sharesData === true,
          duplicateCollection: d.duplicateCollection === true,
          inCatalogue: d.inCatalogue === true,
          cryptoAssessmentPassed: d.cryptoAssessmentPassed === true,
          securityAssessmentPassed: d.securityAssessmentPassed === true,
          majorSecurityHazard: d.majorSecurityHazard === true,
        };
        const compliance = { ...(doc.compliance as object), facts };
        return { ...doc, compliance, complianceRecordedOn: d.recordedOn, ...stamp(event, doc) };
      }
      case 'SharingExemptionGranted':
      case 'SystemSharingExemptionGranted': {
        if (!doc) return null;
        const sharingExemption = { reason: d.reason, grantedOn: d.grantedOn };
        return { ...doc, compliance: { ...(doc.compliance as object), sharingExemption }, ...stamp(event, doc) };
      }
      default:
        return doc;
    }
  },
  finalize(doc) {
    const compliance = { sharingReview: null, ...(doc.compliance as Omit<ComplianceRecord, 'sharingReview'>) };
    const banReasons = banReasonsOf(compliance);
    const om = omEligibility(compliance);
    const listed = doc.inOperation === true;
    return {
      ...doc,
      /** shown in the department's inventory: existing systems, and projects in operation */
      listed,
      banReasons,
      banned: listed && banReasons.length > 0,
      omEligible: om.eligible,
      omReasonCodes: om.reasons.map((r) => r.code),
    };
  },
};

function stamp(event: StoredEvent, doc: DocBody | null) {
  return {
    updatedAt: event.metadata.occurredAt,
    revision: event.revision,
    policy: decidedUnder(event) ?? doc?.policy ?? null,
  };
}
