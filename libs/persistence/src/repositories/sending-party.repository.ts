import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  DomainError,
  type NewAuditEntry,
  type SendingParty,
  type SendingPartyCertificate,
  type SendingPartyMaterial,
  type SendingPartySchool,
  type SendingPartyStore,
} from '#domain';
import { appendAuditEntries } from './audit-log.repository.js';
import { PERSISTENCE_ERRORS } from '../persistence-error-codes.js';

interface PartyRow {
  board: string;
  id: string;
  kind: SendingParty['kind'];
  name: string;
  oin: string;
  endpoint: string | null;
  schools: SendingPartySchool[] | string;
  certificate: SendingPartyCertificate | string;
  created_at: Date;
  updated_at: Date;
  updated_by: string;
}

const COLUMNS =
  'board, id, kind, name, oin, endpoint, schools, certificate, created_at, updated_at, updated_by';
const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

function toParty(row: PartyRow): SendingParty {
  return {
    id: row.id,
    board: row.board,
    kind: row.kind,
    name: row.name,
    oin: row.oin,
    endpoint: row.endpoint,
    schools: json(row.schools),
    certificate: json(row.certificate),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: row.updated_by,
  };
}

/**
 * Sending parties (ADR 0014). The key material is encrypted with AES-256-GCM under its own key (derived from the
 * privacy key by the caller), a fresh IV per value, and the board and party id as additional authenticated data:
 * material copied to another party's row does not decrypt. Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
export class TypeOrmSendingPartyStore implements SendingPartyStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly key: Buffer,
  ) {
    if (key.length !== 32) throw new TypeError('the sending-party key must be 32 bytes (AES-256)');
  }

  async list(board: string): Promise<SendingParty[]> {
    const rows: PartyRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM sending_party WHERE board = $1 ORDER BY id`,
      [board],
    );
    return rows.map(toParty);
  }

  async get(board: string, id: string): Promise<SendingParty | null> {
    const rows: PartyRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM sending_party WHERE board = $1 AND id = $2`,
      [board, id],
    );
    return rows[0] ? toParty(rows[0]) : null;
  }

  async all(): Promise<SendingParty[]> {
    const rows: PartyRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM sending_party ORDER BY board, id`,
    );
    return rows.map(toParty);
  }

  async put(
    party: SendingParty,
    material: SendingPartyMaterial,
    audit: readonly NewAuditEntry[],
  ): Promise<void> {
    const sealed = this.seal(party.board, party.id, JSON.stringify(material));
    try {
      await this.dataSource.transaction(async (em: EntityManager) => {
        await em.query(
          `INSERT INTO sending_party (${COLUMNS}, material)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11, $12)
           ON CONFLICT (board, id) DO UPDATE SET kind = excluded.kind, name = excluded.name, oin = excluded.oin,
             endpoint = excluded.endpoint, schools = excluded.schools, certificate = excluded.certificate,
             material = excluded.material, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          [
            party.board,
            party.id,
            party.kind,
            party.name,
            party.oin,
            party.endpoint,
            JSON.stringify(party.schools),
            JSON.stringify(party.certificate),
            new Date(party.createdAt),
            new Date(party.updatedAt),
            party.updatedBy,
            sealed,
          ],
        );
        await em.query(`DELETE FROM sending_party_school WHERE board = $1 AND party_id = $2`, [
          party.board,
          party.id,
        ]);
        for (const school of party.schools)
          await em.query(`INSERT INTO sending_party_school (board, school, party_id) VALUES ($1, $2, $3)`, [
            party.board,
            school.brin,
            party.id,
          ]);
        await appendAuditEntries(em, audit, new Date(party.updatedAt));
      });
    } catch (error) {
      // The database's word on "one party per school", should two uploads race past the use case's check.
      const code =
        (error as { code?: unknown; driverError?: { code?: unknown } }).code ??
        (error as { driverError?: { code?: unknown } }).driverError?.code;
      if (code === '23505')
        throw new DomainError(
          PERSISTENCE_ERRORS.SENDING_PARTY_SCHOOL_TAKEN,
          'conflict',
          'A school of this sending party already has another sending party',
        );
      throw error;
    }
  }

  async remove(board: string, id: string, audit: readonly NewAuditEntry[], at: Date): Promise<boolean> {
    return this.dataSource.transaction(async (em: EntityManager) => {
      // Through a CTE: TypeORM answers a bare DELETE … RETURNING with [rows, count] on PostgreSQL.
      const removed: unknown[] = await em.query(
        `WITH removed AS (DELETE FROM sending_party WHERE board = $1 AND id = $2 RETURNING id) SELECT id FROM removed`,
        [board, id],
      );
      if (removed.length === 0) return false;
      await appendAuditEntries(em, audit, at);
      return true;
    });
  }

  async material(board: string, id: string): Promise<SendingPartyMaterial | null> {
    const rows: { material: string }[] = await this.dataSource.query(
      `SELECT material FROM sending_party WHERE board = $1 AND id = $2`,
      [board, id],
    );
    if (!rows[0]) return null;
    return JSON.parse(this.open(board, id, rows[0].material)) as SendingPartyMaterial;
  }

  private seal(board: string, id: string, plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(aad(board, id));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  private open(board: string, id: string, stored: string): string {
    const [version, iv, tag, ciphertext] = stored.split('.');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined)
      throw new Error('unknown sending-party material encoding');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(board, id));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

function aad(board: string, id: string): Buffer {
  return Buffer.from(`sending-party:${board.length}:${board}:${id}`, 'utf8');
}
