// The one XML parser configuration of the code base (eslint.config.js forbids `new XMLParser` anywhere else).
// Entity processing is off: no DOCTYPE entity is ever expanded (billion laughs, external entities), whatever
// the text declares; values stay text (a stamnummer "007" must not become 7). Callers that need the text of a
// value decode it with `decodeXmlText` (or ask the parser to, with `decode`), which knows only the five
// predefined entities and character references.
import { XMLParser, type X2jOptions } from 'fast-xml-parser';

/** What a caller may choose; everything that touches entities, declarations and value types is fixed. */
export interface SafeXmlOptions extends Pick<
  X2jOptions,
  'removeNSPrefix' | 'ignoreAttributes' | 'attributeNamePrefix' | 'isArray' | 'jPath'
> {
  /**
   * Decode the five predefined entities (`&amp;`, `&lt;`, …) in element and attribute values, nothing else:
   * what fast-xml-parser's entity processing gives for a document without a DOCTYPE.
   */
  readonly decode?: boolean;
}

/** A DOCTYPE or ENTITY declaration: the parser would not expand it, callers refuse such text up front anyway. */
export const XML_DECLARATION = /<!\s*(?:DOCTYPE|ENTITY)/i;

/** An XML parser with the one safe configuration: entities off, no declarations or PIs, values as text. */
export function safeXmlParser(options: SafeXmlOptions = {}): XMLParser {
  const { decode = false, ...chosen } = options;
  const decodeValue = (_name: string, value: string): string => decodePredefinedEntities(value);
  return new XMLParser({
    ...chosen,
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ...(decode ? { tagValueProcessor: decodeValue, attributeValueProcessor: decodeValue } : {}),
  });
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined XML entities decoded; character references and anything else stay as written. */
export function decodePredefinedEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(lt|gt|amp|quot|apos);/g, (_whole, name: string) => PREDEFINED[name] ?? _whole);
}

/** The five predefined XML entities and character references (`&amp;`, `&#233;`) decoded; nothing else is. */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (whole, name: string) => {
    if (!name.startsWith('#')) return PREDEFINED[name] ?? whole;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}
