/** DI token for the clock: the server's clock stamps events and decides deadlines. */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Settable clock, only when the service starts with TEST_CLOCK=1 (PUT /admin/test-clock). */
export class TestClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  set(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
  }
}
