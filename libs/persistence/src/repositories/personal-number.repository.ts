import type { DataSource } from 'typeorm';
import type { PersonalNumberSource } from '#domain';
import { decryptBsn } from './pupil-registry.crypto.js';

/** Decrypts a pupil's BSN for a report being sent (ADR 0011); the registry itself never reads it back. */
export class TypeOrmPersonalNumberSource implements PersonalNumberSource {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pupilDataKey: Buffer,
  ) {}

  async bsnOf(board: string, localId: string, administration?: string): Promise<string | null> {
    const rows: { bsn_encrypted: string | null }[] = await this.dataSource.query(
      `SELECT bsn_encrypted FROM pupil WHERE board = $1 AND local_id = $2
         AND ($3::text IS NULL OR administration = $3) LIMIT 2`,
      [board, localId, administration ?? null],
    );
    // Two children of one number and no administration named: no number rather than perhaps the wrong one.
    if (rows.length !== 1) return null;
    const stored = rows[0].bsn_encrypted;
    return stored ? decryptBsn(this.pupilDataKey, board, localId, stored) : null;
  }
}
