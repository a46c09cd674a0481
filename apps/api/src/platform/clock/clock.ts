/**
 * The one place the API reads the time. Services take a Clock instead of calling `new Date()`, so a test
 * moves time (an offer's expiry, a lapsing retreat, a session that has started) instead of waiting.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
