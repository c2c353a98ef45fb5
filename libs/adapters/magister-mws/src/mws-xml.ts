import { XMLValidator } from 'fast-xml-parser';
import { XML_DECLARATION, safeXmlParser } from '#adapter-kit';

/** A parsed element: text, or an object of child elements (a repeated child becomes an array). */
export type XmlNode = string | XmlElement | readonly XmlNode[];
export interface XmlElement {
  readonly [name: string]: XmlNode;
}

export type XmlOutcome =
  { readonly ok: true; readonly document: XmlElement } | { readonly ok: false; readonly detail: string };

// No jPath strings for callbacks that are not used: about a third faster on large lists.
const parser = safeXmlParser({ jPath: false });

/**
 * Parses an MWS response without expanding any entity; never throws. A DOCTYPE can declare entities: billion
 * laughs (exponential expansion) and external entities (`SYSTEM "file:///etc/passwd"`). Magister Web Services
 * never sends one, so any declaration is refused before the parser sees the text; entity processing is off in
 * the parser as well (values are decoded with `decodeXmlText`).
 */
export function readXml(payload: string): XmlOutcome {
  const text = payload.startsWith('\uFEFF') ? payload.slice(1) : payload;
  if (XML_DECLARATION.test(text))
    return { ok: false, detail: 'payload declares a DOCTYPE or ENTITY: refused' };
  return parseWellFormed(text);
}

/** The parser alone, without the declaration check (which `readXml` adds): expands no entity either. */
export function parseWellFormed(text: string): XmlOutcome {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, detail: `payload is not well-formed XML (line ${valid.err.line})` };
  try {
    return { ok: true, document: parser.parse(text) as XmlElement };
  } catch {
    return { ok: false, detail: 'payload could not be parsed as XML' };
  }
}

export function isElement(node: unknown): node is XmlElement {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** A child that may occur once or many times, as a list; an empty element (`''`) as no children. */
export function many(node: XmlNode | undefined): readonly XmlNode[] {
  if (node === undefined || node === '') return [];
  return Array.isArray(node) ? (node as readonly XmlNode[]) : [node];
}
