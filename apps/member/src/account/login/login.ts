// Platform fork (Taro picks login.weapp.ts / login.h5.ts by TARO_ENV); this file only gives the
// type checker the shared signature and refuses any other platform.
export async function signIn(): Promise<boolean> {
  throw new Error(`sign-in is not built for ${process.env.TARO_ENV}`);
}
export const canSignInHere = false;
