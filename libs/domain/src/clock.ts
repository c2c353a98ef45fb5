/** The only way domain and application code learn the time: absence rules are all about dates. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('Clock');

/** A clock that stands still (tests) or is moved by hand. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(to: Date): void {
    this.current = new Date(to.getTime());
  }
  advanceMs(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
