import { Decided, Decider, DomainError, fold } from '../../src/domain';

/**
 * Given/When/Then for deciders, after Emmett's DeciderSpecification: given past events, when a
 * command, then the expected events (type and data; the envelope is checked where it matters)
 * or a refusal with its stable code.
 * Kept instead of Emmett's own (0.38): its `then` compares whole events, but our decide returns
 * them stamped with article and policy, and its `thenThrows` cannot assert what every refusal
 * here must carry — the code, the kind, an article and both languages.
 */
export function DeciderSpecification<C, E extends { type: string; data: unknown }, S>(decider: Decider<C, E, S>) {
  return {
    given(events: E[]) {
      return {
        when(command: C) {
          const run = (): Decided<E>[] => {
            const state = fold(decider, events);
            return decider.decide(command, state);
          };
          return {
            then(expected: E[]): Decided<E>[] {
              const result = run();
              expect(result.map(({ type, data }) => ({ type, data }))).toEqual(expected);
              return result;
            },
            thenMatches(
              expected: Array<{ type: string; data?: Record<string, unknown>; article?: string; policy?: string }>,
            ): Decided<E>[] {
              const result = run();
              expect(result).toMatchObject(expected);
              expect(result).toHaveLength(expected.length);
              return result;
            },
            thenNothing(): void {
              expect(run()).toEqual([]);
            },
            thenThrows(code: string, kind?: DomainError['kind']): DomainError {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(DomainError);
              const error = caught as DomainError;
              expect(error.code).toBe(code);
              if (kind) expect(error.kind).toBe(kind);
              // every refusal names its article and speaks both languages
              expect(error.article).toMatch(/^第.+条/);
              expect(error.messageZh.length).toBeGreaterThan(0);
              expect(error.messageEn.length).toBeGreaterThan(0);
              return error;
            },
          };
        },
      };
    },
  };
}

/** Folds events into a state, as the generic command handler will. */
export function stateOf<C, E, S>(decider: Decider<C, E, S>, events: E[]): S {
  return fold(decider, events);
}
