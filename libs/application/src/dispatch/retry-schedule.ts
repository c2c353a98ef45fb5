/**
 * The published retry schedule of outbound deliveries (docs/delivery.md): exponential backoff with "equal
 * jitter". After failed attempt n the next one waits between half and all of min(maxMs, baseMs · factor^(n−1)),
 * so bursts of retries spread out while every retry still keeps a floor. After `maxAttempts` failed attempts a
 * delivery goes to the dead-letter queue (a person looks; a replay starts the schedule again).
 */
export interface RetrySchedule {
  readonly baseMs: number;
  readonly factor: number;
  readonly maxMs: number;
  readonly maxAttempts: number;
}

/** 15 s, 30 s, 1 min, 2 min, … capped at 1 h; 12 attempts span about 2–4 hours. */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  baseMs: 15_000,
  factor: 2,
  maxMs: 3_600_000,
  maxAttempts: 12,
};

/** The nominal (un-jittered) wait after failed attempt `attempt` (1-based). */
export function nominalDelayMs(schedule: RetrySchedule, attempt: number): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // Capped before it can overflow: factor^exponent grows fast.
  const raw = schedule.baseMs * Math.pow(schedule.factor, Math.min(exponent, 64));
  return Math.min(schedule.maxMs, raw);
}

/** The wait after failed attempt `attempt`, with `random` in [0, 1): between half and all of the nominal delay. */
export function retryDelayMs(schedule: RetrySchedule, attempt: number, random: number): number {
  const nominal = nominalDelayMs(schedule, attempt);
  const r = Math.min(Math.max(random, 0), 1);
  return Math.round(nominal / 2 + (nominal / 2) * r);
}

/** Whether another attempt follows failed attempt `attempt`. */
export function mayRetry(schedule: RetrySchedule, attempt: number): boolean {
  return attempt < schedule.maxAttempts;
}

/** The schedule as a table for the docs and `GET /v1/deliveries/retry-schedule`. */
export function describeSchedule(
  schedule: RetrySchedule,
): { afterAttempt: number; minMs: number; maxMs: number }[] {
  return Array.from({ length: Math.max(0, schedule.maxAttempts - 1) }, (_, i) => {
    const nominal = nominalDelayMs(schedule, i + 1);
    return { afterAttempt: i + 1, minMs: Math.round(nominal / 2), maxMs: nominal };
  });
}

/** Checks a schedule from settings; a list of what is wrong (empty when fine). */
export function scheduleProblems(schedule: RetrySchedule): string[] {
  const problems: string[] = [];
  if (!(Number.isFinite(schedule.baseMs) && schedule.baseMs > 0)) problems.push('baseMs must be > 0');
  if (!(Number.isFinite(schedule.factor) && schedule.factor >= 1)) problems.push('factor must be >= 1');
  if (!(Number.isFinite(schedule.maxMs) && schedule.maxMs >= schedule.baseMs))
    problems.push('maxMs must be >= baseMs');
  if (!(Number.isInteger(schedule.maxAttempts) && schedule.maxAttempts >= 1))
    problems.push('maxAttempts must be an integer >= 1');
  return problems;
}
