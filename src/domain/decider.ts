import { Decided } from './project-events';

/**
 * A stream's behaviour as three pure functions (Emmett's decider): the state before any event,
 * what a command decides on a state, and how an event changes the state.
 */
export interface Decider<Command, Event, State> {
  initialState: () => State;
  decide(command: Command, state: State): Decided<Event>[];
  evolve(state: State, event: Event): State;
}

/**
 * The stream fold, written once: every event applied in order to `from` (or the initial
 * state). Command handlers, read models, audit replays and tests all rebuild state with it.
 */
export function fold<State, Event>(
  decider: { initialState(): State; evolve(state: State, event: Event): State },
  events: Iterable<Event>,
  from?: State,
): State {
  let state = from ?? decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
