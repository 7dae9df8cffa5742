import { projectDecider, type DocumentKind, type ProjectEvent } from '../../../src/domain';
import { DeciderSpecification, stateOf } from '../decider-specification';
import { DEPT, H, MATERIALS, PID, actingAs, actors, at, c, command, outside, play } from '../fixtures';

const spec = DeciderSpecification(projectDecider);
const TODAY = '2026-11-26';
const SHA = 'a'.repeat(64);
const DOC = 'd0c00000-0000-4000-8000-000000000001';

const upload = (kind: DocumentKind, documentId = DOC, sha256 = SHA) =>
  command('RecordDocumentUpload', {
    documentId,
    kind,
    name: '项目建议书.pdf',
    size: 1234,
    sha256,
    contentType: 'application/pdf',
  });
const facts = (documentId = DOC, sha256 = SHA) => ({ documentId, name: '项目建议书.pdf', size: 1234, sha256 });

describe('项目文件 DocumentUploaded (第三条 who files what) and the submissions that name one', () => {
  it('the construction unit records an upload: who, which bytes, the article of its kind', () => {
    spec
      .given(H.registered())
      .when(upload('PROPOSAL'))
      .thenMatches([
        {
          type: 'DocumentUploaded',
          article: '第六条',
          data: {
            projectId: PID,
            ...facts(),
            kind: 'PROPOSAL',
            contentType: 'application/pdf',
            uploadedBy: { sub: actors.cu.sub, role: 'CONSTRUCTION_UNIT', department: DEPT },
            uploadedOn: TODAY,
          },
        },
      ]);
    spec
      .given(H.underConstruction())
      .when(upload('RECTIFICATION'))
      .thenMatches([{ type: 'DocumentUploaded', article: '第二十七条' }]);
  });

  it('the office files acceptance papers only; other roles file nothing; another department is refused', () => {
    spec
      .given(H.completed())
      .when(actingAs(actors.office, upload('ACCEPTANCE')))
      .thenMatches([{ type: 'DocumentUploaded', article: '第二十一条' }]);
    spec
      .given(H.registered())
      .when(actingAs(actors.office, upload('PROPOSAL')))
      .thenThrows('DOCUMENT_KIND_NOT_ALLOWED', 'FORBIDDEN');
    spec
      .given(H.registered())
      .when(actingAs(actors.finance, upload('PROPOSAL')))
      .thenThrows('ROLE_NOT_ALLOWED');
    spec
      .given(H.registered())
      .when(actingAs(actors.otherCu, upload('PROPOSAL')))
      .thenThrows('OTHER_DEPARTMENT');
  });

  it('refuses a malformed record, a documentId used twice, and a terminated project', () => {
    spec
      .given(H.registered())
      .when(upload(outside<DocumentKind>('CONTRACT')))
      .thenThrows('INVALID_DOCUMENT');
    spec
      .given(H.registered())
      .when(upload('PROPOSAL', DOC, 'not-a-digest'))
      .thenThrows('INVALID_DOCUMENT');
    const once = play([upload('PROPOSAL')], H.registered());
    spec.given(once).when(upload('FEASIBILITY')).thenThrows('DOCUMENT_EXISTS', 'CONFLICT');
    // Events stored are facts: a terminated project (however it came to be) takes no more files.
    const terminated: ProjectEvent[] = [
      ...H.registered(),
      {
        type: 'ProjectTerminated',
        data: { projectId: PID, reason: '不再建设', previousStatus: 'DRAFT_PLAN', terminatedOn: TODAY },
      },
    ];
    spec.given(terminated).when(upload('PROPOSAL')).thenThrows('INVALID_STATE');
  });

  it('a submission naming an uploaded document records its facts; a free-text reference records none', () => {
    const uploaded = play([upload('PROPOSAL')], H.registered());
    expect(stateOf(projectDecider, uploaded)).toMatchObject({
      documents: { [DOC]: { ...facts(), kind: 'PROPOSAL' } },
    });
    spec
      .given(uploaded)
      .when(command('SubmitProposal', { documentRef: DOC }))
      .then([
        {
          type: 'ProposalSubmitted',
          data: { projectId: PID, documentRef: DOC, submittedOn: TODAY, document: facts() },
        },
      ]);
    spec
      .given(uploaded)
      .when(command('SubmitProposal', { documentRef: 'JY-2026-001' }))
      .then([{ type: 'ProposalSubmitted', data: { projectId: PID, documentRef: 'JY-2026-001', submittedOn: TODAY } }]);
  });

  it('the feasibility study and the preliminary design record their files too', () => {
    const proposed = play([c.submitProposal(), c.approveProposal()], H.registered());
    const study = play([upload('FEASIBILITY')], proposed);
    spec
      .given(study)
      .when(command('SubmitFeasibilityStudy', { documentRef: DOC }))
      .thenMatches([{ type: 'FeasibilityStudySubmitted', data: { documentRef: DOC, document: facts() } }]);
    const design = 'd0c00000-0000-4000-8000-000000000002';
    const studied = play(
      [command('SubmitFeasibilityStudy', { documentRef: DOC }), c.reviewSharing(), c.approveFeasibility()],
      study,
    );
    const withDesign = play([upload('PRELIMINARY_DESIGN', design, 'b'.repeat(64))], studied);
    spec
      .given(withDesign)
      .when(
        command('SubmitPreliminaryDesign', {
          documentRef: design,
          estimateFen: 300_000_000,
          productSecurityStatement: '采用安全可靠产品',
          cryptoApplicationPlan: 'MM-2026-001',
        }),
      )
      .thenMatches([
        { type: 'PreliminaryDesignSubmitted', data: { documentRef: design, document: facts(design, 'b'.repeat(64)) } },
      ]);
  });

  it('第二十一条 acceptance materials naming uploaded files record them by material, passed or failed', () => {
    const ready = play(
      [c.agreePlan(), c.archive(), actingAs(actors.office, upload('ACCEPTANCE'))].map((x) =>
        at('2026-10-01T10:00:00+08:00', x),
      ),
      H.completed(),
    );
    const materials = { ...MATERIALS, acceptanceReport: DOC };
    spec
      .given(ready)
      .when(c.accept(materials))
      .thenMatches([
        { type: 'AcceptancePassed', data: { materials, materialDocuments: { acceptanceReport: facts() } } },
      ]);
    spec
      .given(ready)
      .when(c.accept({ acceptanceReport: DOC }, false))
      .thenMatches([{ type: 'AcceptanceFailed', data: { materialDocuments: { acceptanceReport: facts() } } }]);
    const plain = spec
      .given(ready)
      .when(c.accept())
      .thenMatches([{ type: 'AcceptancePassed' }]);
    expect(plain[0].data).not.toHaveProperty('materialDocuments');
    const wrongKind = play([upload('RECTIFICATION', 'd0c00000-0000-4000-8000-000000000003')], ready);
    spec
      .given(wrongKind)
      .when(c.accept({ ...MATERIALS, financialReport: 'd0c00000-0000-4000-8000-000000000003' }))
      .thenThrows('DOCUMENT_KIND_MISMATCH');
  });

  it('a document of another kind than the submission is refused (第三条 DOCUMENT_KIND_MISMATCH)', () => {
    const uploaded = play([upload('RECTIFICATION')], H.registered());
    spec
      .given(uploaded)
      .when(command('SubmitProposal', { documentRef: DOC }))
      .thenThrows('DOCUMENT_KIND_MISMATCH');
  });

  it('old histories fold as before: a project without uploads has no documents, its events unchanged', () => {
    const history: ProjectEvent[] = H.approved();
    expect(stateOf(projectDecider, history)).toMatchObject({ documents: {} });
    const design = history.find((e) => e.type === 'PreliminaryDesignSubmitted');
    expect(design?.data).not.toHaveProperty('document');
  });
});
