import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One audit hash chain per board (ADR 0012). The single chain so far is sealed as it stands: its head is
 * copied into `audit_chain_seal` and `audit_chain_head` is never moved again, so the sealed chain stays
 * verifiable as a whole. From now on every entry belongs to its board's chain (`chain` = the board,
 * `chain_seq` = its place in that chain); each board's chain starts from a checkpoint that records the sealed
 * head (`audit_board_head.sealed_seq` / `sealed_hash`, folded into the prev_hash of its first entry). The
 * global `seq` stays the row's key and order, drawn from a sequence that continues after the sealed head.
 */
export class AuditChainPerBoard1765400000001 implements MigrationInterface {
  name = 'AuditChainPerBoard1765400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "audit_log" ADD "chain" text`);
    await q.query(`ALTER TABLE "audit_log" ADD "chain_seq" bigint`);
    await q.query(
      `CREATE UNIQUE INDEX "audit_log_chain_idx" ON "audit_log" ("chain", "chain_seq") WHERE "chain" IS NOT NULL`,
    );
    await q.query(`CREATE TABLE "audit_chain_seal" (
      "id" smallint PRIMARY KEY CHECK ("id" = 1),
      "seq" bigint NOT NULL,
      "hash" text NOT NULL,
      "sealed_at" timestamptz NOT NULL
    )`);
    await q.query(
      `INSERT INTO "audit_chain_seal" ("id", "seq", "hash", "sealed_at") SELECT 1, "seq", "hash", now() FROM "audit_chain_head"`,
    );
    await q.query(`CREATE TABLE "audit_board_head" (
      "board" text PRIMARY KEY,
      "seq" bigint NOT NULL,
      "hash" text NOT NULL,
      "sealed_seq" bigint NOT NULL,
      "sealed_hash" text NOT NULL
    )`);
    await q.query(`CREATE SEQUENCE "audit_log_seq"`);
    await q.query(`SELECT setval('audit_log_seq', (SELECT "seq" FROM "audit_chain_seal") + 1, false)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SEQUENCE "audit_log_seq"`);
    await q.query(`DROP TABLE "audit_board_head"`);
    await q.query(`DROP TABLE "audit_chain_seal"`);
    await q.query(`DROP INDEX "audit_log_chain_idx"`);
    await q.query(`ALTER TABLE "audit_log" DROP COLUMN "chain_seq"`);
    await q.query(`ALTER TABLE "audit_log" DROP COLUMN "chain"`);
  }
}
