/**
 * The persoonsgebonden nummer (BSN, or the onderwijsnummer issued instead) is special personal data: it may
 * never reach a source record, a quarantine `detail` or a quarantine `raw`. These helpers take it out of
 * what the adapter keeps.
 */

/** Element names (after namespace-prefix removal) that hold a persoonsgebonden nummer. */
export const PGN_ELEMENTS: ReadonlySet<string> = new Set(['bsn', 'onderwijsnummer']);

/**
 * An element `<bsn>` / `<x:onderwijsnummer>` with everything up to its closing tag, or up to the end of the
 * text when the payload was cut off inside it. Used on payloads that could not be parsed.
 */
const PGN_IN_TEXT =
  /<(?:[\w.-]+:)?(bsn|onderwijsnummer)(?=[\s/>])[^>]*?(?:\/>|>(?:(?!<\/(?:[\w.-]+:)?\1\s*>)[\s\S])*(?:<\/(?:[\w.-]+:)?\1\s*>)?)/gi;

/** The payload text with every BSN / onderwijsnummer element removed. */
export function redactPgnFromText(xml: string): string {
  return xml.replace(PGN_IN_TEXT, '');
}

/** A deep copy of a parsed XML value without BSN / onderwijsnummer elements, at any depth. */
export function withoutPgn(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPgn);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!PGN_ELEMENTS.has(key.toLowerCase())) copy[key] = withoutPgn(child);
  }
  return copy;
}
