/** The namespaces and algorithm identifiers of a Digikoppeling WUS 2W-be-S message (duo-interface.md §3). */

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSA_NS = 'http://www.w3.org/2005/08/addressing';
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
export const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';

export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
export const X509V3 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3';
export const BASE64_BINARY =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

/** Digikoppeling addresses an organisation by OIN on the anonymous WS-Addressing address. */
export const OIN_ADDRESS_PREFIX = 'http://www.w3.org/2005/08/addressing/anonymous?oin=';

/** The prefixes the envelope declares on its root: every signed part is canonicalised with all of them. */
export const ENVELOPE_PREFIXES = ['duo', 'soapenv', 'wsa', 'wsse', 'wsu'] as const;
