import { webcrypto } from 'node:crypto';
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/**
 * A throwaway PKI for tests, the chain simulator and the demo: one CA, a server certificate for
 * localhost/127.0.0.1, a school's client certificate carrying its OIN as `serialNumber` (as PKIoverheid
 * certificates do), and DUO's signing certificate for its answers. RSA 2048 with SHA-256 (DUO's WUS profile signs
 * with rsa-sha256, with the same key as TLS), all in memory as PEM (certificates; keys as PKCS#8). Nothing is
 * written to disk and nothing here is fit for production.
 */

export interface PemPair {
  /** PEM certificate. */
  readonly cert: string;
  /** PEM private key, PKCS#8 (`-----BEGIN PRIVATE KEY-----`), unencrypted. */
  readonly key: string;
}

export interface DevClientOptions {
  /** 20-digit OIN of the organisation; the subject's serialNumber. Default `00000001999999990000`. */
  readonly oin?: string;
  /** Organisation name (subject O and CN). Default `Dev School`. */
  readonly organisation?: string;
  /** This certificate's validity, when it differs from the PKI's (e.g. an expired school certificate). */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

export interface DevPkiOptions extends Omit<DevClientOptions, 'notBefore' | 'notAfter'> {
  /** DUO's OIN on its signing certificate. Default `00000001800866472000`. */
  readonly duoOin?: string;
  /** Name of the CA (subject CN). Default `ketenpoort dev CA`. */
  readonly caName?: string;
  /** Start of validity; default now minus one hour (clock skew). */
  readonly notBefore?: Date;
  /** Validity in days; default 7. */
  readonly validDays?: number;
}

export interface DevPki {
  /** The CA's certificate and key: trust anchor for both sides (`ca` in TLS options). */
  readonly ca: PemPair;
  /** Server certificate for `localhost` and `127.0.0.1` (SAN), issued by `ca`. */
  readonly server: PemPair;
  /** The school's client certificate, issued by `ca`, subject serialNumber = `clientOin`. */
  readonly client: PemPair;
  readonly clientOin: string;
  /** DUO's signing certificate for its answers, issued by `ca`, subject serialNumber = `duoOin`. */
  readonly duo: PemPair;
  readonly duoOin: string;
  /** Another client certificate from the same CA (e.g. a second school). */
  issueClient(options?: DevClientOptions): Promise<PemPair>;
  /** A client certificate from a fresh, DIFFERENT CA: what a server trusting `ca` must refuse. */
  foreignClient(options?: DevClientOptions): Promise<PemPair>;
}

const DEFAULT_OIN = '00000001999999990000';
/** DUO's OIN (duo-interface.md §3; UNCONFIRMED for the verzuim service). */
const DEFAULT_DUO_OIN = '00000001800866472000';
const ALGORITHM: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};
const SIGNING: webcrypto.AlgorithmIdentifier = { name: 'RSASSA-PKCS1-v1_5' };
const DAY_MS = 24 * 60 * 60 * 1000;

interface Authority {
  readonly cert: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
}

interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export async function createDevPki(options: DevPkiOptions = {}): Promise<DevPki> {
  const notBefore = options.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
  const validity: Validity = {
    notBefore,
    notAfter: new Date(notBefore.getTime() + (options.validDays ?? 7) * DAY_MS),
  };
  const authority = await createAuthority(options.caName ?? 'ketenpoort dev CA', validity);
  const clientOin = options.oin ?? DEFAULT_OIN;
  const duoOin = options.duoOin ?? DEFAULT_DUO_OIN;
  const [server, client, duo] = await Promise.all([
    issue(authority, validity, 'server', { name: 'CN=localhost, O=ketenpoort dev' }),
    issue(authority, validity, 'client', {
      name: clientName({ organisation: options.organisation, oin: clientOin }),
    }),
    issue(authority, validity, 'client', {
      name: clientName({ organisation: 'DUO (dev)', oin: duoOin }),
    }),
  ]);
  const own = (client: DevClientOptions): Validity => ({
    notBefore: client.notBefore ?? validity.notBefore,
    notAfter: client.notAfter ?? validity.notAfter,
  });
  return {
    ca: { cert: authority.cert.toString('pem'), key: await pkcs8(authority.keys.privateKey) },
    server,
    client,
    clientOin,
    duo,
    duoOin,
    issueClient: (client = {}) => issue(authority, own(client), 'client', { name: clientName(client) }),
    foreignClient: async (client = {}) => {
      const other = await createAuthority('ketenpoort foreign dev CA', validity);
      return issue(other, own(client), 'client', { name: clientName(client) });
    },
  };
}

function clientName(options: Pick<DevClientOptions, 'oin' | 'organisation'>): string {
  const organisation = (options.organisation ?? 'Dev School').replace(/[,+="\\<>;#]/g, ' ');
  const oin = options.oin ?? DEFAULT_OIN;
  if (!/^\d{20}$/.test(oin)) throw new TypeError('an OIN has 20 digits');
  return `CN=${organisation}, O=${organisation}, C=NL, 2.5.4.5=${oin}`;
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function createAuthority(name: string, validity: Validity): Promise<Authority> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: `CN=${name}, O=ketenpoort dev`,
      keys,
      signingAlgorithm: SIGNING,
      ...validity,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  return { cert, keys };
}

async function issue(
  authority: Authority,
  validity: Validity,
  role: 'server' | 'client',
  subject: { readonly name: string },
): Promise<PemPair> {
  const keys = await generateKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature |
        x509.KeyUsageFlags.keyEncipherment |
        x509.KeyUsageFlags.nonRepudiation,
      true,
    ),
    new x509.ExtendedKeyUsageExtension(
      [role === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth],
      false,
    ),
    await x509.AuthorityKeyIdentifierExtension.create(authority.cert, false, webcrypto),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
  ];
  if (role === 'server')
    extensions.push(
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
    );
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: subject.name,
      issuer: authority.cert.subject,
      publicKey: keys.publicKey,
      signingKey: authority.keys.privateKey,
      signingAlgorithm: SIGNING,
      ...validity,
      extensions,
    },
    webcrypto,
  );
  return { cert: cert.toString('pem'), key: await pkcs8(keys.privateKey) };
}

async function pkcs8(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** A positive 64-bit hexadecimal serial number. */
function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(8));
  bytes[0] = bytes[0] & 0x7f;
  return Buffer.from(bytes).toString('hex');
}
