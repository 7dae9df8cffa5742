import { fold, projectDecider } from '../../src/domain';
import { H, c, play } from './fixtures';

describe('fold: the stream fold, once', () => {
  const counter = { initialState: () => 0, evolve: (n: number, e: number) => n + e };

  it('applies every event in order to the initial state', () => {
    expect(fold(counter, [1, 2, 3])).toBe(6);
    expect(fold({ initialState: () => '', evolve: (s: string, e: string) => s + e }, ['a', 'b'])).toBe('ab');
  });
  it('continues from a given state (a snapshot) and takes any iterable', () => {
    expect(fold(counter, new Set([4, 5]), 10)).toBe(19);
    expect(fold(counter, [])).toBe(0);
  });
  it('folds a project stream as the step-by-step loop does', () => {
    const history = play([c.submitProposal()], H.registered());
    const [first, ...rest] = history;
    expect(fold(projectDecider, rest, fold(projectDecider, [first]))).toEqual(fold(projectDecider, history));
  });
});
