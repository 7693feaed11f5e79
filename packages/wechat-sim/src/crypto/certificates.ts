// RSA keys and X.509 certificates. node:crypto makes the keys and reads certificates; it cannot
// issue one, so node-forge builds the self-signed certificates (merchant API certificates for tests,
// the simulated platform certificates).
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

export interface RsaKeyPair {
  /** PKCS#8 PEM, like the `apiclient_key.pem` a merchant downloads. */
  privateKeyPem: string;
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`), like WeChat Pay's `pub_key.pem`. */
  publicKeyPem: string;
}

export function generateRsaKeyPair(bits = 2048): RsaKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface CertificateSubject {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  country?: string;
  locality?: string;
}

export interface IssuedCertificate {
  certificatePem: string;
  /** Upper-case hex without leading zeros, as WeChat prints certificate serial numbers. */
  serialNo: string;
  notBefore: Date;
  notAfter: Date;
}

/**
 * A self-signed X.509 v3 certificate for the key pair. The serial is 20 random bytes with the top
 * bit clear, so it is a positive DER integer without a leading zero byte and every parser (node,
 * @fidm/x509 used by wechatpay-node-v3) prints the same 40 hex digits.
 */
export function selfSignedCertificate(
  keys: RsaKeyPair,
  subject: CertificateSubject,
  opts: { notBefore?: Date; days?: number; serialBytes?: Buffer } = {},
): IssuedCertificate {
  const serial = Buffer.from(opts.serialBytes ?? randomBytes(20));
  serial[0] = (serial[0] & 0x7f) | 0x10;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serial.toString('hex');
  const notBefore = opts.notBefore ?? new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(notBefore.getTime() + (opts.days ?? 5 * 365) * 24 * 3600 * 1000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const attrs: forge.pki.CertificateField[] = [];
  const utf8 = (shortName: string, value: string) =>
    attrs.push({ shortName, value, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class });
  if (subject.country) attrs.push({ shortName: 'C', value: subject.country });
  if (subject.locality) utf8('L', subject.locality);
  if (subject.organization) utf8('O', subject.organization);
  if (subject.organizationalUnit) utf8('OU', subject.organizationalUnit);
  utf8('CN', subject.commonName);
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, keyEncipherment: true, dataEncipherment: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(cert);
  return { certificatePem, serialNo: certificateSerial(certificatePem), notBefore, notAfter };
}

/** The serial number of a PEM certificate, upper-case hex, as WeChat shows it. */
export function certificateSerial(certificatePem: string): string {
  return new X509Certificate(certificatePem).serialNumber.toUpperCase().replace(/^0+(?=.)/, '');
}

/** The SPKI PEM public key inside a PEM certificate. */
export function certificatePublicKey(certificatePem: string): string {
  return new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

export interface MerchantCredentials extends RsaKeyPair {
  mchid: string;
  /** `apiclient_cert.pem`: the merchant API certificate WeChat verifies requests against. */
  certificatePem: string;
  /** Its serial number, the `serial_no` of every request's Authorization header. */
  serialNo: string;
}

/**
 * What a merchant downloads from the merchant platform (商户平台 → API安全 → API证书): a private key
 * and an X.509 certificate for it. Here the certificate is self-signed; the simulator trusts it
 * once it is registered for the merchant.
 */
export function generateMerchantCredentials(input: { mchid: string; merchantName?: string; days?: number }): MerchantCredentials {
  const keys = generateRsaKeyPair();
  const cert = selfSignedCertificate(
    keys,
    {
      commonName: input.mchid,
      organization: '微信商户系统',
      organizationalUnit: input.merchantName ?? `商户 ${input.mchid}`,
      country: 'CN',
      locality: 'Shenzhen',
    },
    { days: input.days },
  );
  return { mchid: input.mchid, ...keys, certificatePem: cert.certificatePem, serialNo: cert.serialNo };
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** An APIv3 key (APIv3密钥): 32 ASCII letters and digits, set by the merchant on the merchant platform. */
export function generateApiV3Key(bytes: (n: number) => Buffer = randomBytes): string {
  const b = bytes(32);
  let s = '';
  for (let i = 0; i < 32; i++) s += KEY_ALPHABET[b[i] % KEY_ALPHABET.length];
  return s;
}
