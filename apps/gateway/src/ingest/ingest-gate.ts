/**
 * How many ingests each school board has running (INGEST_MAX_CONCURRENT_PER_BOARD, ADR 0013): one board's
 * scripts cannot take every worker, connection and spool file of a gateway that serves many boards.
 * Per process: with several gateway replicas the limit applies to each.
 */
export class IngestGate {
  private readonly running = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** A release function when the board may start one more ingest now; null when it is at its limit. */
  enter(board: string): (() => void) | null {
    const now = this.running.get(board) ?? 0;
    if (now >= this.limit) return null;
    this.running.set(board, now + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(board) ?? 1) - 1;
      if (left <= 0) this.running.delete(board);
      else this.running.set(board, left);
    };
  }
}
