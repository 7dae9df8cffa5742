import { Logger, type ArgumentsHost } from '@nestjs/common';
import { StoreUnavailable } from '../../src/event-store/event-store.port';
import { LogRateLimiter, ProblemFilter } from '../../src/http/problem';
import { ProblemError } from '../../src/application/errors';

/** Issue 11: expected refusals are not errors, and repeated lines are not written 6,000 times a minute. */
describe('ProblemFilter logging', () => {
  const host = () => {
    const reply = { sent: false, status: () => reply, header: () => reply, send: () => reply };
    return {
      switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ url: '/projects/x?minRevision=9' }) }),
    } as unknown as ArgumentsHost;
  };
  let error: jest.SpyInstance;
  let warn: jest.SpyInstance;
  beforeEach(() => {
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs a READ_MODEL_BEHIND refusal at warn without a stack, once per window however often it repeats', () => {
    const filter = new ProblemFilter();
    for (let i = 0; i < 6000; i++) {
      filter.catch(
        new ProblemError(
          503,
          'READ_MODEL_BEHIND',
          'Read model behind',
          'The read model has not reached revision 9 yet.',
        ),
        host(),
      );
    }
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    const [context] = warn.mock.calls[0];
    expect(context).toMatchObject({ code: 'READ_MODEL_BEHIND', status: 503 });
    expect(JSON.stringify(context)).not.toMatch(/stack|at .*\.ts/);
  });

  it('logs an unavailable store at warn without the error object', () => {
    const filter = new ProblemFilter();
    filter.catch(new StoreUnavailable('disk full'), host());
    filter.catch(new StoreUnavailable('disk full'), host());
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).not.toHaveProperty('err');
  });

  it('logs an unexpected error (500 INTERNAL) as an error with its stack', () => {
    const filter = new ProblemFilter();
    const boom = new Error('boom');
    filter.catch(boom, host());
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0][0]).toMatchObject({ err: boom, code: 'INTERNAL', status: 500 });
    filter.catch(new Error('another failure'), host());
    expect(error).toHaveBeenCalledTimes(2);
  });

  it('rate limiter: one line per key per window, then reports how many were suppressed', () => {
    let now = 0;
    const limiter = new LogRateLimiter(10_000, 2, () => now);
    expect(limiter.admit('a')).toBe(0);
    expect(limiter.admit('a')).toBeNull();
    expect(limiter.admit('a')).toBeNull();
    expect(limiter.admit('b')).toBe(0);
    now = 10_000;
    expect(limiter.admit('a')).toBe(2);
    expect(limiter.admit('c')).toBe(0); // bounded: an expired key makes room
    expect(limiter.admit('c')).toBeNull();
  });
});
