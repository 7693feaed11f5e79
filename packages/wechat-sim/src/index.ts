export { startWechatSim, type WechatSim } from './server';
export { WECHAT_NOTIFY_RETRY_SCHEDULE_MS, type AppOptions, type MerchantOptions, type TemplateOptions, type WechatSimOptions } from './options';
export { Control, ControlError, type MerchantView, type OrderView, type SubscribeResult } from './control/control';
export type { NotifyOptions } from './pay/notifier';
export type { PayOptions } from './pay/transactions';
export type * from './state';
export {
  certificatePublicKey,
  certificateSerial,
  generateApiV3Key,
  generateMerchantCredentials,
  generateRsaKeyPair,
  selfSignedCertificate,
  type MerchantCredentials,
  type RsaKeyPair,
} from './crypto/certificates';
export {
  AUTH_SCHEME,
  SIGNTEST_PREFIX,
  buildAuthorization,
  decryptResource,
  encryptResource,
  parseAuthorization,
  payParamsSignMessage,
  requestSignMessage,
  responseSignMessage,
  rsaSign,
  rsaVerify,
  signPayParams,
  verifyWechatpaySignature,
  type EncryptedResource,
} from './crypto/wechatpay-crypto';
export { TRADE_BILL_HEADER, TRADE_BILL_SUMMARY_HEADER } from './pay/bills';
export { checkKeywordValue, checkTemplateData, keywordType } from './mp/subscribe-rules';

/** The hosts a production client talks to; the simulator's baseUrl replaces both. */
export const WECHAT_PAY_BASE_URL = 'https://api.mch.weixin.qq.com';
export const WECHAT_API_BASE_URL = 'https://api.weixin.qq.com';
