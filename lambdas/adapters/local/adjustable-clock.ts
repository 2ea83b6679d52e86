import type { Clock } from '../../ports/clock.ts';
import { ConflictError } from '../../shared/errors.ts';

/**
 * The local runtime's clock: the real time plus an offset that only grows. Tests and demos
 * move it forward to when something is due (a reminder two weeks out, a quarter's billing)
 * instead of waiting; the schedules due by then fire as they would have. It never goes back:
 * what was recorded at a later time would otherwise appear to come from the future.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): Date {
    return new Date(this.realNow() + this.offsetMs);
  }

  /** How far ahead of the real time the clock is, in milliseconds. */
  get offsetMilliseconds(): number {
    return this.offsetMs;
  }

  /** Moves the clock forward by a number of minutes (0 leaves it where it is). */
  advance(minutes: number): Date {
    if (!Number.isFinite(minutes) || minutes < 0) {
      throw new ConflictError('The clock only moves forward', { field: 'body.advanceMinutes' });
    }
    this.offsetMs += Math.round(minutes * 60_000);
    return this.now();
  }

  /** Moves the clock to `instant`, which must not be before the clock's time now. */
  setTo(instant: Date): Date {
    const now = this.now();
    if (instant.getTime() < now.getTime()) {
      throw new ConflictError(`The clock is at ${now.toISOString()} and only moves forward`, {
        field: 'body.to',
        now: now.toISOString(),
      });
    }
    this.offsetMs += instant.getTime() - now.getTime();
    return this.now();
  }

  /** Takes up an offset kept from an earlier run (the clock stays where the last run left it). */
  restore(offsetMs: number): void {
    if (Number.isFinite(offsetMs) && offsetMs > this.offsetMs) this.offsetMs = offsetMs;
  }
}

/** The one clock of a local process, shared by the handlers and the local runtime. */
export const localClock = new AdjustableClock();
