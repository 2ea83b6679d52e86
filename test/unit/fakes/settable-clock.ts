import type { Clock } from '../../../lambdas/ports/clock.ts';

/** A clock that stands still until the test moves it. */
export class SettableClock implements Clock {
  private current: Date;

  constructor(start = '2025-03-12T15:30:00.000Z') {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}
