import {
  awaitingConfirmation,
  frameworkDecider,
  frameworkDepartments,
  initialFrameworkState,
  type FrameworkEvent,
  type FrameworkState,
} from '../domain';
import { frameworkIdOfStream } from '../application/streams';
import { decidedUnder, type Projection } from '../projections/projection';

/**
 * 第七条 one document per framework: the lead, the participants and their content, who confirmed
 * when, who is still to confirm, and the office's acknowledgement. `departments` (lead and
 * participants) scopes a construction unit's reads.
 */
export const frameworksProjection: Projection = {
  name: 'frameworks',
  version: 1,
  collection: 'frameworks',
  indexes: [{ fields: { departments: 1 } }],
  types: ['FrameworkFiled', 'FrameworkConfirmed', 'FrameworkAcknowledged'],
  route: (event) => {
    const id = frameworkIdOfStream(event.streamId);
    return id === undefined ? [] : [id];
  },
  evolve(doc, event) {
    const previous = (doc?.state as FrameworkState | undefined) ?? initialFrameworkState();
    const state = frameworkDecider.evolve(previous, { type: event.type, data: event.data } as FrameworkEvent);
    const filed = state.filed;
    const awaiting = awaitingConfirmation(state);
    return {
      frameworkId: state.frameworkId,
      name: filed?.name ?? null,
      leadDepartment: filed?.leadDepartment ?? null,
      participants: filed?.participants ?? [],
      departments: frameworkDepartments(state),
      objectives: filed?.objectives ?? null,
      contentByDepartment: filed?.contentByDepartment ?? {},
      dataFlows: filed?.dataFlows ?? null,
      interfaces: filed?.interfaces ?? null,
      dataCatalogue: filed?.dataCatalogue ?? [],
      filedOn: filed?.filedOn ?? null,
      filedBy: filed?.filedBy ?? null,
      confirmations: Object.values(state.confirmations),
      awaitingConfirmation: awaiting,
      confirmed: filed !== null && awaiting.length === 0,
      acknowledged: state.acknowledgement !== null,
      acknowledgement: state.acknowledgement,
      updatedAt: event.metadata.occurredAt,
      revision: event.revision,
      policy: decidedUnder(event) ?? doc?.policy ?? null,
      state,
    };
  },
};
