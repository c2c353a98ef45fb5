// Pure (no DOM): compiled by the gateway's test build too, for the property tests.

/** One CSV cell: quoted, quotes doubled, and a leading formula character neutralised (CSV injection). */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** Rows to CSV text with a header row; `;` as Dutch spreadsheets expect, CRLF line ends. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(';')).join('\r\n') + '\r\n';
}
