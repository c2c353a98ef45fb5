import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import {
  type CertificateUpload,
  type ErrorIssue,
  type Result,
  type SendingPartyCertificate,
  type SendingPartyMaterial,
  fail,
  ok,
} from '#domain';
import { oinOf } from './answers.js';
import { DUO_ROD_ERRORS } from './duo-rod-error-codes.js';

/**
 * A sending party's PKIoverheid certificate and key as uploaded: PKCS#12 with its password (unpacked with
 * node-forge, which reads both the legacy RC2/3DES and the current AES/PBKDF2 files), or PEM. The key must be
 * RSA (rsa-sha256) and belong to the certificate. Problems name the rule, never the material or the password.
 */
export function readCertificateBundle(
  upload: CertificateUpload,
): Result<{ readonly certificate: SendingPartyCertificate; readonly material: SendingPartyMaterial }> {
  const problem = (code: string, message: string): Result<never> =>
    fail<never>([{ field: 'certificate', code, message } satisfies ErrorIssue]);
  let certificates: X509Certificate[];
  let key: KeyObject;
  if (upload.format === 'PKCS12') {
    const unpacked = unpackPkcs12(upload.pkcs12, upload.password);
    if (!unpacked.ok) return unpacked;
    ({ certificates, key } = unpacked.value);
  } else {
    try {
      certificates = pemBlocks(upload.certPem).map((pem) => new X509Certificate(pem));
    } catch {
      return problem(DUO_ROD_ERRORS.CERTIFICATE_UNREADABLE, 'certPem is not a PEM certificate (chain)');
    }
    if (certificates.length === 0)
      return problem(DUO_ROD_ERRORS.CERTIFICATE_UNREADABLE, 'certPem holds no certificate');
    try {
      key = createPrivateKey(
        upload.keyPassphrase === undefined
          ? upload.keyPem
          : { key: upload.keyPem, format: 'pem', passphrase: upload.keyPassphrase },
      );
    } catch {
      return problem(DUO_ROD_ERRORS.KEY_UNREADABLE, 'keyPem cannot be read (PEM, or a wrong passphrase)');
    }
  }
  if (key.asymmetricKeyType !== 'rsa')
    return problem(
      DUO_ROD_ERRORS.KEY_NOT_RSA,
      'the key must be RSA: DUO messages are signed with rsa-sha256',
    );
  // The leaf is the certificate of this key, wherever it sits in the file; the others follow as its chain.
  const leaf = certificates.find((c) => c.checkPrivateKey(key));
  if (!leaf)
    return problem(
      DUO_ROD_ERRORS.KEY_CERTIFICATE_MISMATCH,
      'the key does not belong to any certificate given',
    );
  const chain = [leaf, ...certificates.filter((c) => c !== leaf)];
  return ok({
    certificate: describe(leaf),
    material: {
      certPem: chain.map((c) => c.toString()).join(''),
      keyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  });
}

/** The public facts of a certificate (what the API shows and the store keeps in clear). */
export function describe(certificate: X509Certificate): SendingPartyCertificate {
  return {
    subject: certificate.subject.split('\n').join(', '),
    issuer: certificate.issuer.split('\n').join(', '),
    serialNumber: certificate.serialNumber.toLowerCase(),
    fingerprint: certificate.fingerprint256,
    subjectOin: oinOf(certificate),
    notBefore: new Date(certificate.validFrom).toISOString(),
    notAfter: new Date(certificate.validTo).toISOString(),
  };
}

function pemBlocks(text: string): string[] {
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map(
    (m) => `${m[0]}\n`,
  );
}

function unpackPkcs12(
  der: Buffer,
  password: string,
): Result<{ readonly certificates: X509Certificate[]; readonly key: KeyObject }> {
  const problem = (code: string, message: string) =>
    fail<never>([{ field: 'certificate', code, message } satisfies ErrorIssue]);
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der.toString('binary')), false, password);
  } catch (error) {
    const wrongPassword = /MAC could not be verified|Invalid password/i.test((error as Error).message);
    return wrongPassword
      ? problem(DUO_ROD_ERRORS.PKCS12_PASSWORD, 'the PKCS#12 file cannot be opened with this password')
      : problem(DUO_ROD_ERRORS.PKCS12_UNREADABLE, 'not a PKCS#12 file');
  }
  const bagsOf = (type: string): forge.pkcs12.Bag[] => p12.getBags({ bagType: type })[type] ?? [];
  const keyBags = [...bagsOf(forge.pki.oids.pkcs8ShroudedKeyBag), ...bagsOf(forge.pki.oids.keyBag)];
  if (keyBags.length !== 1)
    return problem(DUO_ROD_ERRORS.PKCS12_KEYS, 'the PKCS#12 file must hold exactly one private key');
  const rsa = keyBags[0].key;
  if (!rsa)
    return problem(
      DUO_ROD_ERRORS.KEY_NOT_RSA,
      'the key must be RSA: DUO messages are signed with rsa-sha256',
    );
  const key = createPrivateKey(
    forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(rsa))),
  );
  const certificates: X509Certificate[] = [];
  for (const bag of bagsOf(forge.pki.oids.certBag)) {
    const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
    if (!asn1) continue;
    certificates.push(new X509Certificate(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary')));
  }
  if (certificates.length === 0)
    return problem(DUO_ROD_ERRORS.PKCS12_CERTIFICATES, 'the PKCS#12 file holds no certificate');
  return ok({ certificates, key });
}
