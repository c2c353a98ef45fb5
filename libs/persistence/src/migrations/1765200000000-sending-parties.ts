import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sending parties (ADR 0014): per board the PKIoverheid identities its DUO messages travel under, with the schools
 * each sends for. The certificate's public facts are kept in clear for the API; the key material is encrypted
 * (AES-256-GCM). A school is covered by at most one party of its board: the primary key of
 * `sending_party_school` says so, whatever a request tries.
 */
export class SendingParties1765200000000 implements MigrationInterface {
  name = 'SendingParties1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "sending_party" (
      "board" text NOT NULL,
      "id" text NOT NULL,
      "kind" text NOT NULL CHECK ("kind" IN ('BESTUUR', 'INSTELLING', 'HOSTING')),
      "name" text NOT NULL,
      "oin" text NOT NULL CHECK ("oin" ~ '^[0-9]{20}$'),
      "endpoint" text,
      "schools" jsonb NOT NULL,
      "certificate" jsonb NOT NULL,
      "material" text NOT NULL,
      "created_at" timestamptz NOT NULL,
      "updated_at" timestamptz NOT NULL,
      "updated_by" text NOT NULL,
      PRIMARY KEY ("board", "id")
    )`);
    await q.query(`CREATE TABLE "sending_party_school" (
      "board" text NOT NULL,
      "school" text NOT NULL,
      "party_id" text NOT NULL,
      PRIMARY KEY ("board", "school"),
      FOREIGN KEY ("board", "party_id") REFERENCES "sending_party" ("board", "id") ON DELETE CASCADE
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "sending_party_school"`);
    await q.query(`DROP TABLE "sending_party"`);
  }
}
