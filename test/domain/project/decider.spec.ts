import { projectDecider } from '../../../src/domain';
import { DeciderSpecification } from '../decider-specification';
import { H, NOW, actingAs, actors, c } from '../fixtures';

const spec = DeciderSpecification(projectDecider);

describe('第三条 department and existence checks', () => {
  it('NOT_FOUND for a command on an unregistered project', () => {
    spec.given([]).when(c.submitProposal()).thenThrows('PROJECT_NOT_FOUND', 'NOT_FOUND');
  });

  it('FORBIDDEN for a construction unit of another department', () => {
    spec
      .given(H.registered())
      .when(actingAs(actors.otherCu, c.submitProposal()))
      .thenThrows('OTHER_DEPARTMENT', 'FORBIDDEN');
  });

  it('checks the role before existence: audit never writes', () => {
    spec.given([]).when(actingAs(actors.audit, c.submitProposal())).thenThrows('ROLE_NOT_ALLOWED', 'FORBIDDEN');
  });

  it('uses NOW as the decision date', () => {
    expect(NOW.startsWith('2026-11-26')).toBe(true);
  });
});
