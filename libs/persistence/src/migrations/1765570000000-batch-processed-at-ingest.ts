import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A record batch is processed in the transaction that stores it (issue 17; ADR 0003, amended 2026-12-06): the
 * `records.batch-received` event, whose only consumer set the batch `PROCESSED`, is gone. What an older
 * deployment left behind is finished here, once:
 *
 * - batches still `RECEIVED` (their event not yet handled) get the status that event would have given them;
 * - unsent outbox rows of that type are deleted: no queue is bound for it any more, so the relay would retry
 *   them for ever (the in-process broker and RabbitMQ refuse a message no queue takes), holding back every later
 *   row. Rows already sent stay as the record they are.
 *
 * A message of that type still waiting in RabbitMQ's records queue (sent, not yet consumed) finds no handler and
 * is dead-lettered (`BROKER_TRANSPORT_NO_HANDLER`); its batch was completed here.
 *
 * `down` changes nothing: a `PROCESSED` batch without an event is also valid for the code before this migration
 * (a batch that changed nothing was stored like that), and deleted rows announced work that is done.
 */
export class BatchProcessedAtIngest1765570000000 implements MigrationInterface {
  name = 'BatchProcessedAtIngest1765570000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE "record_batch" SET "status" = 'PROCESSED', "processed_at" = coalesce("processed_at", now()),
         "process_count" = greatest("process_count", 1)
       WHERE "status" = 'RECEIVED'`,
    );
    await q.query(`DELETE FROM "outbox" WHERE "type" = 'records.batch-received' AND "published_at" IS NULL`);
  }

  async down(): Promise<void> {
    // Data only, and the result is valid before this migration too: nothing to undo.
  }
}
