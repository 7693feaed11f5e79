import Taro from '@tarojs/taro';
import { setSession } from '../../lib/session';

/**
 * In a browser there is no wx.login. On main today a member session is only issued server-side
 * (AuthService.issueMemberSession, used by the WeChat sign-in being built); the H5 build therefore
 * accepts a member link carrying that session (…#/account/login/index?accessToken=…&refreshToken=…),
 * which the e2e harness and demos hand out. WeChat's web OAuth would replace this.
 */
export async function signIn(): Promise<boolean> {
  const q = Taro.getCurrentInstance().router?.params ?? {};
  const accessToken = q.accessToken ? decodeURIComponent(q.accessToken) : '';
  const refreshToken = q.refreshToken ? decodeURIComponent(q.refreshToken) : '';
  if (!accessToken || !refreshToken) return false;
  setSession({ accessToken, refreshToken });
  return true;
}
export const canSignInHere = false;
