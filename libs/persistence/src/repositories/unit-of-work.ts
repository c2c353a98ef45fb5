import type { DataSource } from 'typeorm';
import type { Stores, UnitOfWork } from '#domain';
import { appendAuditEntries } from './audit-log.repository.js';
import { SqlDeliveryRows } from './delivery.repository.js';
import { insertOutboxEvent } from './outbox.repository.js';
import { SqlReportRows } from './report.repository.js';
import { SqlSignalRows } from './signal.repository.js';

/** The unit of work over one database transaction (ADR 0032): every store it hands out shares the transaction. */
export class TypeOrmUnitOfWork implements UnitOfWork {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Stores) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((em) =>
      work({
        deliveries: new SqlDeliveryRows(em),
        reports: new SqlReportRows(em),
        signals: new SqlSignalRows(em),
        audit: {
          async append(entries, at) {
            await appendAuditEntries(em, entries, at);
          },
        },
        outbox: { add: (event, at) => insertOutboxEvent(em, event, at) },
      }),
    );
  }
}
