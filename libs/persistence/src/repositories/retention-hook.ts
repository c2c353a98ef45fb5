import type { DataSource } from 'typeorm';
import { type RetentionHook, shiftByPeriod } from '#domain';

type ExpireInput = Parameters<RetentionHook['expire']>[0];
type Expired = Awaited<ReturnType<RetentionHook['expire']>>;

/**
 * The SQL every per-pupil retention hook runs: deletes the board's rows of `table` not updated within the
 * period (rows of pupils on legal hold stay, and so do rows `keep` holds, a fixed SQL condition) and counts
 * them per pupil pseudonym for the deletion receipts. `table` has `board`, `updated_at`, `pupil_local_id`
 * and `school`.
 */
export async function expireRowsPerPupil(
  dataSource: DataSource,
  table: 'signal' | 'report',
  { board, now, period, heldLocalIds }: ExpireInput,
  keep?: string,
): Promise<Expired> {
  const rows: { pseudonym: string | null; n: number }[] = await dataSource.query(
    `WITH gone AS (
       DELETE FROM ${table} WHERE board = $1 AND updated_at < $2${keep === undefined ? '' : ` AND NOT (${keep})`}
         AND NOT (pupil_local_id = ANY($3::text[]))
       RETURNING pupil_local_id, school)
     SELECT p.pseudonym, count(*)::int AS n FROM gone g
       LEFT JOIN pupil p ON p.board = $1 AND p.local_id = g.pupil_local_id
         AND (p.administration = g.school OR p.administration = '*')
     GROUP BY p.pseudonym ORDER BY p.pseudonym`,
    [board, shiftByPeriod(now, period, -1), [...heldLocalIds]],
  );
  return rows.map((r) => ({ pupilPseudonym: r.pseudonym, count: Number(r.n) }));
}
