import {
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryFilter,
  type Destination,
  type DeliveryRows,
  type DeliveryStatus,
  type DeliveryStore,
  type NewAuditEntry,
  type NewReport,
  type OutboxEvent,
  type Report,
  type ReportStore,
  type ReportRows,
  type ReportStatus,
  type SignalRows,
  type StoredSignal,
  type StatusHistoryRow,
  type StoredStatusChange,
  type Stores,
  type UnitOfWork,
  deliveryMayMove,
  reportMayAdvance,
} from '#domain';

/** Reports that hold their signal: a second REPORT of one signal is left out while one of these is live. */
const LIVE: readonly ReportStatus[] = ['DRAFT', 'APPROVED', 'QUEUED', 'SENT', 'REGISTERED', 'IN_BEHANDELING'];

interface State {
  reports: Map<string, Report>;
  signals: Map<string, StoredSignal>;
  /** Messages handled, as `consumer NUL key`. */
  processed: Set<string>;
  deliveries: Map<string, { delivery: Delivery; leaseUntil: number | null }>;
  history: (StatusHistoryRow & { at: string })[];
  audit: (NewAuditEntry & { at: string })[];
  outbox: (OutboxEvent & { at: string })[];
}

const copy = (state: State): State => ({
  reports: new Map(state.reports),
  signals: new Map(state.signals),
  processed: new Set(state.processed),
  deliveries: new Map([...state.deliveries].map(([id, row]) => [id, { ...row }])),
  history: [...state.history],
  audit: [...state.audit],
  outbox: [...state.outbox],
});

/**
 * The reports, deliveries, status history, audit entries and outbox of the delivery side in memory, with the unit
 * of work over them (ADR 0032): a unit commits when its work resolves and is undone when it throws, like the
 * database's transaction. The row methods keep the guards of the SQL (ranks, claimable and replayable statuses,
 * idempotency keys), so use cases run their lifecycles against it without a database. Test-only.
 */
export class InMemoryUnitOfWork implements UnitOfWork, DeliveryStore, Pick<ReportStore, 'get'> {
  private state: State = {
    reports: new Map(),
    signals: new Map(),
    processed: new Set(),
    deliveries: new Map(),
    history: [],
    audit: [],
    outbox: [],
  };
  private nextId = 1;
  private working: State | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly cursors = new Map<string, Date>();
  /** How many units committed and rolled back. */
  committed = 0;
  rolledBack = 0;
  /** Makes the next unit of work throw after its work ran (a crash before the commit). */
  failNextCommit = false;

  get reports(): readonly Report[] {
    return [...this.state.reports.values()];
  }
  get deliveries(): readonly Delivery[] {
    return [...this.state.deliveries.values()].map((row) => row.delivery);
  }
  get historyRows(): readonly (StatusHistoryRow & { at: string })[] {
    return this.state.history;
  }
  get audit(): readonly (NewAuditEntry & { at: string })[] {
    return this.state.audit;
  }
  get outbox(): readonly (OutboxEvent & { at: string })[] {
    return this.state.outbox;
  }

  /** Puts a report in place as it is (a test's starting point). */
  seed(report: Report): void {
    this.state.reports.set(report.id, report);
  }

  /** Units run one after another (serialisable, like row locks on the rows they touch). */
  run<T>(work: (tx: Stores) => Promise<T>): Promise<T> {
    const result = this.queue.then(() => this.runNow(work));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow<T>(work: (tx: Stores) => Promise<T>): Promise<T> {
    const working = copy(this.state);
    this.working = working;
    try {
      const result = await work(this.storesOver(working));
      if (this.failNextCommit) {
        this.failNextCommit = false;
        throw new Error('in-memory unit of work: the commit failed');
      }
      this.state = working;
      this.committed += 1;
      return result;
    } catch (error) {
      this.rolledBack += 1;
      throw error;
    } finally {
      this.working = null;
    }
  }

  // Reads outside a unit of work: the committed state.
  report(board: string, reportId: string): Promise<Report | null> {
    return this.storesOver(this.state).reports.get(board, reportId);
  }
  ofReport(board: string, reportId: string): Promise<Delivery[]> {
    return this.storesOver(this.state).deliveries.ofReport(board, reportId);
  }
  find(deliveryId: string): Promise<Delivery | null> {
    return this.storesOver(this.state).deliveries.find(deliveryId);
  }
  findByExternalRef(destination: Destination, externalRef: string, board?: string): Promise<Delivery | null> {
    const found = this.deliveries.filter(
      (d) =>
        d.destination === destination &&
        d.externalRef === externalRef &&
        d.operation === 'REGISTER' &&
        (board === undefined || d.board === board),
    );
    return Promise.resolve(found.at(-1) ?? null);
  }
  list(filter: DeliveryFilter): Promise<Delivery[]> {
    return Promise.resolve(
      this.deliveries
        .filter(
          (d) =>
            d.board === filter.board &&
            (filter.schools === null || filter.schools.includes(d.school)) &&
            filter.statuses.includes(d.status),
        )
        .slice(0, filter.limit),
    );
  }
  history(board: string, reportId: string): Promise<StoredStatusChange[]> {
    return Promise.resolve(this.historyOf(board, reportId));
  }
  cursor(name: string): Promise<Date | null> {
    return Promise.resolve(this.cursors.get(name) ?? null);
  }
  setCursor(name: string, at: Date): Promise<void> {
    this.cursors.set(name, at);
    return Promise.resolve();
  }
  /** Whether a delivery is due at `at`, as the sweep's first look. */
  anyDue(at: Date): Promise<boolean> {
    return Promise.resolve([...this.state.deliveries.values()].some((row) => isDue(row, at)));
  }

  get(board: string, schools: readonly string[] | null, id: string): Promise<Report | null> {
    const report = this.state.reports.get(id);
    return Promise.resolve(
      report && report.board === board && (schools === null || schools.includes(report.school))
        ? report
        : null,
    );
  }
  historyOf(board: string, reportId: string): StoredStatusChange[] {
    return this.state.history
      .filter((h) => h.board === board && h.reportId === reportId)
      .map((h) => ({
        reportId: h.reportId,
        status: h.status,
        at: h.at,
        source: h.source,
        closingReason: h.closingReason ?? null,
        closingExplanation: h.closingExplanation ?? null,
        contact: h.contact ?? null,
        detail: h.detail ?? null,
        schoolFields: h.schoolFields ?? null,
      }));
  }

  counts(board: string | null): Promise<Record<DeliveryStatus, number>> {
    const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    for (const d of this.deliveries) if (board === null || d.board === board) counts[d.status] += 1;
    return Promise.resolve(counts);
  }

  private storesOver(state: State): Stores {
    const newId = (): string => `00000000-0000-4000-8000-${String(this.nextId++).padStart(12, '0')}`;
    const setDelivery = (delivery: Delivery, leaseUntil: number | null): Delivery => {
      state.deliveries.set(delivery.id, { delivery, leaseUntil });
      return delivery;
    };
    const setReport = (report: Report): void => {
      state.reports.set(report.id, report);
    };
    const deliveries: DeliveryRows = {
      find: (deliveryId) => Promise.resolve(state.deliveries.get(deliveryId)?.delivery ?? null),
      ofReport: (board, reportId) =>
        Promise.resolve(
          [...state.deliveries.values()]
            .map((row) => row.delivery)
            .filter((d) => d.board === board && d.reportId === reportId),
        ),
      insertPlanned(report, planned, at) {
        const keys = new Set([...state.deliveries.values()].map((row) => row.delivery.idempotencyKey));
        for (const p of planned) {
          if (keys.has(p.idempotencyKey)) continue;
          keys.add(p.idempotencyKey);
          setDelivery(
            {
              id: newId(),
              board: report.board,
              school: report.school,
              reportId: report.reportId,
              destination: p.destination,
              operation: p.operation,
              recipient: p.recipient,
              idempotencyKey: p.idempotencyKey,
              status: p.skipped ? 'SKIPPED' : 'PENDING',
              attempts: 0,
              nextAttemptAt: p.skipped ? null : at.toISOString(),
              externalRef: null,
              lastError: p.skipped ? { code: p.skipped.code, reason: p.skipped.reason } : null,
              createdAt: at.toISOString(),
              updatedAt: at.toISOString(),
              deliveredAt: null,
            },
            null,
          );
        }
        return Promise.resolve();
      },
      claim(deliveryId, expectedAttempts, leaseMs, at) {
        const row = state.deliveries.get(deliveryId);
        if (!row) return Promise.resolve(null);
        const { delivery, leaseUntil } = row;
        const claimable =
          delivery.status === 'SENDING'
            ? leaseUntil !== null && leaseUntil < at.getTime()
            : deliveryMayMove(delivery.status, 'SENDING');
        if (!claimable || (expectedAttempts !== null && delivery.attempts !== expectedAttempts)) {
          return Promise.resolve(null);
        }
        const until = at.getTime() + Math.max(1, Math.round(leaseMs));
        return Promise.resolve(
          setDelivery(
            {
              ...delivery,
              status: 'SENDING',
              attempts: delivery.attempts + 1,
              nextAttemptAt: new Date(until).toISOString(),
              updatedAt: at.toISOString(),
            },
            until,
          ),
        );
      },
      markDelivered(deliveryId, externalRef, at) {
        const row = state.deliveries.get(deliveryId);
        if (!row || row.delivery.status === 'DELIVERED') return Promise.resolve(null);
        return Promise.resolve(
          setDelivery(
            {
              ...row.delivery,
              status: 'DELIVERED',
              externalRef: externalRef ?? row.delivery.externalRef,
              deliveredAt: at.toISOString(),
              updatedAt: at.toISOString(),
              nextAttemptAt: null,
              lastError: null,
            },
            null,
          ),
        );
      },
      markFailed(deliveryId, failure, at) {
        const row = state.deliveries.get(deliveryId);
        if (!row || row.delivery.status !== 'SENDING') return Promise.resolve(null);
        return Promise.resolve(
          setDelivery(
            {
              ...row.delivery,
              status: failure.outcome,
              lastError: { code: failure.code, reason: failure.reason.slice(0, 2000) },
              nextAttemptAt: failure.nextAttemptAt?.toISOString() ?? null,
              updatedAt: at.toISOString(),
              attempts: failure.refundAttempt
                ? Math.max(row.delivery.attempts - 1, 0)
                : row.delivery.attempts,
            },
            null,
          ),
        );
      },
      reopen(board, deliveryId, at) {
        const row = state.deliveries.get(deliveryId);
        if (!row || row.delivery.board !== board || row.delivery.status === 'PENDING')
          return Promise.resolve(null);
        if (!deliveryMayMove(row.delivery.status, 'PENDING')) return Promise.resolve(null);
        return Promise.resolve(
          setDelivery(
            {
              ...row.delivery,
              status: 'PENDING',
              attempts: 0,
              nextAttemptAt: at.toISOString(),
              updatedAt: at.toISOString(),
            },
            null,
          ),
        );
      },
      takeDue(at, staleAfterMs, limit) {
        const due = [...state.deliveries.values()]
          .filter((row) => isDue(row, at))
          .sort(
            (a, b) =>
              Date.parse(a.delivery.nextAttemptAt!) - Date.parse(b.delivery.nextAttemptAt!) ||
              a.delivery.id.localeCompare(b.delivery.id),
          )
          .slice(0, limit);
        const next = new Date(at.getTime() + Math.max(1, Math.round(staleAfterMs))).toISOString();
        for (const row of due) setDelivery({ ...row.delivery, nextAttemptAt: next }, row.leaseUntil);
        return Promise.resolve(due.map((row) => ({ id: row.delivery.id, attempts: row.delivery.attempts })));
      },
    };
    const reports: ReportRows = {
      get: (board, reportId) => {
        const report = state.reports.get(reportId);
        return Promise.resolve(report && report.board === board ? report : null);
      },
      lock: (board, reportId) => {
        const report = state.reports.get(reportId);
        return Promise.resolve(
          report && report.board === board
            ? { school: report.school, status: report.status, supersedes: report.supersedes }
            : null,
        );
      },
      advance(board, reportId, status, at, chain = {}) {
        const report = state.reports.get(reportId);
        if (!report || report.board !== board || !reportMayAdvance(report.status, status)) {
          return Promise.resolve(false);
        }
        const before = report.chain;
        setReport({
          ...report,
          status,
          updatedAt: at.toISOString(),
          chain: {
            externalRef: chain.externalRef ?? before?.externalRef ?? null,
            closingReason: chain.closingReason ?? before?.closingReason ?? null,
            closingExplanation: chain.closingExplanation ?? before?.closingExplanation ?? null,
            contact: chain.contact ?? before?.contact ?? null,
            statusAt: at.toISOString(),
          },
        });
        return Promise.resolve(true);
      },
      reopen(board, reportId, from, to, at) {
        const report = state.reports.get(reportId);
        if (!report || report.board !== board || report.status !== from) return Promise.resolve(false);
        setReport({
          ...report,
          status: to,
          updatedAt: at.toISOString(),
          chain: { ...emptyChain, ...report.chain, statusAt: at.toISOString() },
        });
        return Promise.resolve(true);
      },
      decide(board, reportId, decision, at) {
        const report = state.reports.get(reportId);
        if (!report || report.board !== board || report.status !== 'DRAFT') return Promise.resolve(null);
        const decided: Report = {
          ...report,
          status: decision.status,
          decidedBy: decision.by,
          decidedAt: at.toISOString(),
          dismissReason: decision.reason,
          updatedAt: at.toISOString(),
          overdue: false,
          chain: { ...emptyChain, ...report.chain, statusAt: at.toISOString() },
        };
        setReport(decided);
        return Promise.resolve(decided);
      },
      insert(drafts: readonly NewReport[], at) {
        const inserted: { id: string; board: string; status: ReportStatus }[] = [];
        for (const d of drafts) {
          const taken =
            d.action === 'REPORT' &&
            LIVE.includes(d.status) &&
            [...state.reports.values()].some(
              (r) =>
                r.board === d.board &&
                r.signalId === d.signalId &&
                r.action === 'REPORT' &&
                LIVE.includes(r.status),
            );
          if (taken) continue;
          setReport({ ...d, overdue: false, createdAt: at.toISOString(), updatedAt: at.toISOString() });
          inserted.push({ id: d.id, board: d.board, status: d.status });
        }
        return Promise.resolve(inserted);
      },
      addHistory(rows, at) {
        for (const row of rows) state.history.push({ ...row, at: at.toISOString() });
        return Promise.resolve();
      },
    };
    const signals: SignalRows = {
      recordMessage(consumer, key) {
        const id = `${consumer}\u0000${key}`;
        if (state.processed.has(id)) return Promise.resolve(false);
        state.processed.add(id);
        return Promise.resolve(true);
      },
      write(changes, at) {
        for (const { school, signal } of changes.opened) {
          const key = `${changes.board}\u0000${signal.signalId}`;
          state.signals.set(key, {
            board: changes.board,
            school,
            status: 'OPEN',
            withdrawnReason: null,
            replacedBy: null,
            createdAt: state.signals.get(key)?.createdAt ?? at.toISOString(),
            updatedAt: at.toISOString(),
            signal,
          });
        }
        for (const w of changes.withdrawn) {
          const key = `${changes.board}\u0000${w.signalId}`;
          const stored = state.signals.get(key);
          if (stored?.status !== 'OPEN') continue;
          state.signals.set(key, {
            ...stored,
            status: 'WITHDRAWN',
            withdrawnReason: w.reason,
            replacedBy: w.replacedBy,
            updatedAt: at.toISOString(),
          });
        }
        for (const id of changes.withdrawnDrafts) {
          const report = state.reports.get(id);
          if (report?.board === changes.board && report.status === 'DRAFT') {
            setReport({ ...report, status: 'WITHDRAWN', updatedAt: at.toISOString() });
          }
        }
        return Promise.resolve();
      },
    };
    return {
      deliveries,
      reports,
      signals,
      audit: {
        append(entries, at) {
          for (const entry of entries) state.audit.push({ ...entry, at: at.toISOString() });
          return Promise.resolve();
        },
      },
      outbox: {
        add(event, at) {
          state.outbox.push({ ...event, at: at.toISOString() });
          return Promise.resolve();
        },
      },
    };
  }
}

/** Due: PENDING or RETRY_WAIT whose next attempt is at or before `at`, or SENDING whose lease ran out. */
function isDue(row: { delivery: Delivery; leaseUntil: number | null }, at: Date): boolean {
  const { status, nextAttemptAt } = row.delivery;
  if (!['PENDING', 'RETRY_WAIT', 'SENDING'].includes(status)) return false;
  if (nextAttemptAt === null || Date.parse(nextAttemptAt) > at.getTime()) return false;
  return status !== 'SENDING' || (row.leaseUntil !== null && row.leaseUntil < at.getTime());
}

const emptyChain = { externalRef: null, closingReason: null, closingExplanation: null, contact: null };
