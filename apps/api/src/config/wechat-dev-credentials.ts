import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/**
 * Marks every certificate made here; production refuses a merchant certificate carrying it, so
 * development keys can never end up signing real payments.
 */
export const DEV_CERT_ORGANIZATION = 'ChainCard development merchant (not for production)';

export interface DevWechatCredentials {
  mchid: string;
  appId: string;
  appSecret: string;
  apiV3Key: string;
  privateKeyFile: string;
  certificateFile: string;
}

/**
 * The development merchant and mini-program (商户号, AppID, AppSecret, APIv3 key, API key and a
 * self-signed API certificate), made once into `dir` like the other development secrets. `npm start`
 * registers them with the local WeChat simulator, which then trusts them as WeChat trusts a real
 * merchant's downloaded certificate.
 */
export function developmentWechatCredentials(dir: string): DevWechatCredentials {
  const file = join(dir, 'credentials.json');
  const privateKeyFile = join(dir, 'apiclient_key.pem');
  const certificateFile = join(dir, 'apiclient_cert.pem');
  if (existsSync(file) && existsSync(privateKeyFile) && existsSync(certificateFile)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Omit<DevWechatCredentials, 'privateKeyFile' | 'certificateFile'>;
    return { ...saved, privateKeyFile, certificateFile };
  }
  mkdirSync(dir, { recursive: true });
  const digits = (n: number) => [...randomBytes(n)].map((b) => String(b % 10)).join('');
  const saved = {
    mchid: `19${digits(8)}`,
    appId: `wx${randomBytes(8).toString('hex')}`,
    appSecret: randomBytes(16).toString('hex'),
    apiV3Key: alphanumeric(32),
  };
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A positive DER integer without a leading zero byte: every parser prints the same serial.
  const serial = randomBytes(20);
  serial[0] = (serial[0] & 0x7f) | 0x10;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 86400_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 86400_000);
  const subject = [
    { shortName: 'C', value: 'CN' },
    { shortName: 'O', value: DEV_CERT_ORGANIZATION },
    { shortName: 'CN', value: saved.mchid },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  writeFileSync(privateKeyFile, privateKeyPem, { mode: 0o600 });
  writeFileSync(certificateFile, forge.pki.certificateToPem(cert));
  writeFileSync(file, JSON.stringify(saved, null, 2), { mode: 0o600 });
  return { ...saved, privateKeyFile, certificateFile };
}

export function isDevelopmentCertificate(certificatePem: string): boolean {
  try {
    return new X509Certificate(certificatePem).subject.includes(DEV_CERT_ORGANIZATION);
  } catch {
    return false;
  }
}

function alphanumeric(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}
