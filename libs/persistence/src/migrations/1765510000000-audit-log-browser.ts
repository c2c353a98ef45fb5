import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The privacy officer's audit log browser (issue 15 item 4): a board's entries newest first, and a pseudonym
 * turned back into the board's own pupil.
 */
export class AuditLogBrowser1765510000000 implements MigrationInterface {
  name = 'AuditLogBrowser1765510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "audit_log_board_seq_idx" ON "audit_log" ("board", "seq")`);
    await q.query(`CREATE INDEX "pupil_pseudonym_idx" ON "pupil" ("board", "pseudonym")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "pupil_pseudonym_idx"`);
    await q.query(`DROP INDEX "audit_log_board_seq_idx"`);
  }
}
