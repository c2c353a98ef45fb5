/**
 * Lets the process's other work run (other requests, health checks, timers) before a long synchronous step: a
 * resolved promise continues in the same turn of the event loop, a timer does not. Used between the batches of a
 * streamed ingest, so one school's large upload never holds the gateway for the length of a batch (issue 12).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
