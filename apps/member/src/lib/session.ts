import Taro from '@tarojs/taro';

// The member's tokens, kept in storage so a restart of the app keeps the member signed in.
export interface Session { accessToken: string; refreshToken: string }

const KEY = 'chaincard.session';

export function getSession(): Session | null {
  try {
    const raw = Taro.getStorageSync(KEY) as Session | '';
    return raw && raw.accessToken ? raw : null;
  } catch {
    return null;
  }
}

export function setSession(s: Session | null): void {
  if (s) Taro.setStorageSync(KEY, s);
  else Taro.removeStorageSync(KEY);
}
