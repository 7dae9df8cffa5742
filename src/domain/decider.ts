/** Folds a stream's events into its state: the one place a stream is replayed. */
export function fold<State, Event>(
  decider: { initialState(): State; evolve(state: State, event: Event): State },
  events: Iterable<Event>,
  from?: State,
): State {
  let state = from ?? decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
