import type { DataSource } from 'typeorm';
import {
  type BoardScope,
  DomainError,
  ForbiddenError,
  type ReasonMappingRepository,
  type SourceSystemId,
  type StoredReasonMapping,
  scopeCoversSchool,
} from '#domain';
import { PERSISTENCE_ERRORS } from '../persistence-error-codes.js';

interface Row {
  school: string;
  system: string;
  version: string;
  mapping: unknown;
  created_at: Date;
  created_by: string;
}

export class TypeOrmReasonMappingRepository implements ReasonMappingRepository {
  constructor(private readonly dataSource: DataSource) {}

  async save(scope: BoardScope, entry: Omit<StoredReasonMapping, 'createdAt'>, at: Date): Promise<void> {
    if (!scopeCoversSchool(scope, entry.school)) {
      throw new ForbiddenError(
        PERSISTENCE_ERRORS.SCHOOL_OUT_OF_SCOPE,
        'The school is not one of the schools this token may write for',
      );
    }
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO reason_mapping (board, school, system, version, mapping, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) ON CONFLICT DO NOTHING RETURNING 1`,
      [
        scope.board,
        entry.school,
        entry.system,
        entry.version,
        JSON.stringify(entry.mapping),
        at,
        entry.createdBy,
      ],
    );
    if (inserted.length === 0) {
      throw new DomainError(
        PERSISTENCE_ERRORS.MAPPING_VERSION_EXISTS,
        'conflict',
        'This mapping version already exists; use a new version',
      );
    }
  }

  async current(
    scope: BoardScope,
    school: string,
    system: SourceSystemId,
  ): Promise<StoredReasonMapping | null> {
    if (!scopeCoversSchool(scope, school)) return null;
    const rows: Row[] = await this.dataSource.query(
      `SELECT school, system, version, mapping, created_at, created_by FROM reason_mapping
       WHERE board = $1 AND school = $2 AND system = $3 ORDER BY created_at DESC, version DESC LIMIT 1`,
      [scope.board, school, system],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      school: row.school,
      system: row.system as SourceSystemId,
      version: row.version,
      mapping: row.mapping,
      createdAt: new Date(row.created_at).toISOString(),
      createdBy: row.created_by,
    };
  }
}
