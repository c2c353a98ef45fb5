import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type CasePupil,
  type PupilListName,
  type PupilName,
  type PupilRoster,
  type PupilRosterStore,
  type PupilSearchHit,
  type RosterEntry,
  type SchoolRosterEntry,
  displayNameOf,
  nameQueryTokens,
  nameTokenPrefixes,
} from '#domain';

interface Row {
  local_id: string;
  school_brin: string;
  pseudonym: string;
  roster_name_encrypted: string | null;
  roster_mentor_encrypted: string | null;
  roster_group: string | null;
  roster_source: string | null;
  roster_updated_at: Date | null;
}

/**
 * Roster data on the pupil's row (ADR 0019). Name and mentor are AES-256-GCM encrypted with the pupil data key
 * (the additional data binds them to board, the pupil's pseudonym and field, so a value copied elsewhere does not
 * decrypt); the name's token prefixes are stored as HMAC-SHA256 under a search key derived from the same key
 * (HKDF), so a search compares hashes and decrypts only the hits.
 */
export class TypeOrmPupilRosterStore implements PupilRosterStore {
  private readonly searchKey: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly pupilDataKey: Buffer,
  ) {
    this.searchKey = Buffer.from(
      hkdfSync('sha256', pupilDataKey, '', 'ketenpoort roster name search v1', 32),
    );
  }

  async put(
    board: string,
    school: string,
    localId: string,
    entry: RosterEntry,
    source: string,
    at: Date,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (em) => {
      const found: { pseudonym: string }[] = await em.query(
        `SELECT pseudonym FROM pupil WHERE board = $1 AND school_brin = $2 AND local_id = $3 FOR UPDATE`,
        [board, school, localId],
      );
      const pseudonym = found[0]?.pseudonym;
      if (pseudonym === undefined) return false;
      const seal = (field: string, value: string | null): string | null =>
        value === null ? null : encrypt(this.pupilDataKey, aad(board, pseudonym, field), value);
      const tokens =
        entry.name === null ? [] : nameTokenPrefixes(entry.name).map((t) => this.token(board, t));
      await em.query(
        `UPDATE pupil SET roster_name_encrypted = $4, roster_mentor_encrypted = $5, roster_group = $6,
           roster_name_tokens = $7, roster_source = $8, roster_updated_at = $9
         WHERE board = $1 AND school_brin = $2 AND local_id = $3`,
        [
          board,
          school,
          localId,
          seal('name', entry.name === null ? null : JSON.stringify(entry.name)),
          seal('mentor', entry.mentor),
          entry.group,
          tokens,
          source,
          at,
        ],
      );
      return true;
    });
  }

  async get(board: string, school: string, localId: string): Promise<PupilRoster | null> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM pupil WHERE board = $1 AND school_brin = $2 AND local_id = $3`,
      [board, school, localId],
    );
    const row = rows[0];
    return row ? this.toRoster(board, row) : null;
  }

  async find(
    board: string,
    schools: readonly string[] | null,
    query: { readonly q?: string; readonly group?: string; readonly mentor?: string },
  ): Promise<readonly { readonly school: string; readonly localId: string }[]> {
    const tokens = query.q === undefined ? [] : nameQueryTokens(query.q);
    const q = query.q?.trim() ?? '';
    const number = q !== '' && /^[A-Za-z0-9._:-]{1,100}$/.test(q) ? q : null;
    if (query.q !== undefined && tokens.length === 0 && number === null) return [];
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM pupil WHERE board = $1 AND ($2::text[] IS NULL OR school_brin = ANY($2::text[]))
         AND roster_updated_at IS NOT NULL
         AND ($3::boolean OR (cardinality($4::text[]) > 0 AND roster_name_tokens @> $4::text[]) OR local_id = $5)
         AND ($6::text IS NULL OR lower(roster_group) = $6)
         AND ($7::boolean OR roster_mentor_encrypted IS NOT NULL)
       ORDER BY school_brin, local_id LIMIT $8`,
      [
        board,
        schools === null ? null : [...schools],
        query.q === undefined,
        tokens.map((t) => this.token(board, t)),
        number,
        query.group === undefined ? null : normalised(query.group),
        query.mentor === undefined,
        FIND_LIMIT,
      ],
    );
    // The mentor is encrypted: compared after decryption, within the rows the other criteria left.
    const mentor = query.mentor === undefined ? null : normalised(query.mentor);
    return rows
      .filter((row) => mentor === null || normalised(this.toRoster(board, row).mentor ?? '') === mentor)
      .map((row) => ({ school: row.school_brin, localId: row.local_id }));
  }

  async rosterOf(board: string, pupils: readonly CasePupil[]): Promise<PupilListName[]> {
    if (pupils.length === 0) return [];
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM pupil p
       JOIN jsonb_to_recordset($2::jsonb) AS x(s text, l text) ON p.school_brin = x.s AND p.local_id = x.l
       WHERE p.board = $1 AND p.roster_updated_at IS NOT NULL`,
      [board, JSON.stringify(pupils.map((p) => ({ s: p.school, l: p.localId })))],
    );
    return rows.map((row) => {
      const roster = this.toRoster(board, row);
      return {
        school: row.school_brin,
        localId: row.local_id,
        displayName: roster.displayName,
        group: roster.group,
      };
    });
  }

  async listSchool(board: string, school: string, limit: number): Promise<SchoolRosterEntry[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM pupil WHERE board = $1 AND school_brin = $2 AND roster_updated_at IS NOT NULL
       ORDER BY local_id LIMIT $3`,
      [board, school, limit],
    );
    return rows.map((row) => {
      const roster = this.toRoster(board, row);
      return {
        localId: row.local_id,
        displayName: roster.displayName,
        group: roster.group,
        mentor: roster.mentor,
      };
    });
  }

  async search(
    board: string,
    schools: readonly string[] | null,
    queryTokens: readonly string[],
    limit: number,
    number: string | null = null,
  ): Promise<PupilSearchHit[]> {
    if (schools?.length === 0 || (queryTokens.length === 0 && number === null)) return [];
    // By name (every query token a prefix of a name token) or, when the query is one number, by pupil number.
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM pupil WHERE board = $1 AND ($2::text[] IS NULL OR school_brin = ANY($2))
         AND ((cardinality($3::text[]) > 0 AND roster_name_tokens @> $3::text[]) OR local_id = $5)
       ORDER BY local_id = $5 DESC, school_brin, local_id LIMIT $4`,
      [
        board,
        schools === null ? null : [...schools],
        queryTokens.map((t) => this.token(board, t)),
        limit,
        number,
      ],
    );
    return rows.map((row) => {
      const roster = this.toRoster(board, row);
      return {
        school: row.school_brin,
        localId: row.local_id,
        displayName: roster.displayName,
        group: roster.group,
      };
    });
  }

  private token(board: string, token: string): string {
    return createHmac('sha256', this.searchKey)
      .update(`${board.length}:${board}:${token}`)
      .digest('base64url');
  }

  private toRoster(board: string, row: Row): PupilRoster {
    const open = (field: string, value: string | null): string | null =>
      value === null ? null : decrypt(this.pupilDataKey, aad(board, row.pseudonym, field), value);
    const nameText = open('name', row.roster_name_encrypted);
    const name = nameText === null ? null : (JSON.parse(nameText) as PupilName);
    return {
      name,
      group: row.roster_group,
      mentor: open('mentor', row.roster_mentor_encrypted),
      displayName: displayNameOf(name),
      source: row.roster_source,
      updatedAt: row.roster_updated_at === null ? null : new Date(row.roster_updated_at).toISOString(),
    };
  }
}

/** The most pupils one `find` answers (a whole bench board is 30,000; a filter leaves far fewer). */
const FIND_LIMIT = 50_000;

/** Case and spacing do not matter when a filter compares a group or a mentor. */
function normalised(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

const COLUMNS = `local_id, school_brin, pseudonym, roster_name_encrypted, roster_mentor_encrypted, roster_group, roster_source,
  roster_updated_at`;

/** Bound to the pupil's pseudonym: it stays when the pupil changes school or the board re-keys (ADR 0017). */
function aad(board: string, pseudonym: string, field: string): Buffer {
  return Buffer.from(`roster:${field}:${board.length}:${board}:${pseudonym}`, 'utf8');
}

function encrypt(key: Buffer, additional: Buffer, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(additional);
  const ciphertext = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

function decrypt(key: Buffer, additional: Buffer, stored: string): string {
  const [version, iv, tag, ciphertext] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('unknown roster encoding');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(additional);
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
}
