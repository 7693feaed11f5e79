import { signAccessToken, verifyAccessToken } from './token';

const SECRET = 'x'.repeat(32);

describe('access tokens', () => {
  it('verifies a token it signed until it expires', () => {
    const now = Date.UTC(2026, 0, 1);
    const token = signAccessToken({ sub: 's1', typ: 'staff', fid: 'f1' }, SECRET, 60, now);
    expect(verifyAccessToken(token, SECRET, now + 59_000)).toMatchObject({ sub: 's1', fid: 'f1' });
    expect(verifyAccessToken(token, SECRET, now + 60_000)).toBeNull();
  });

  it('refuses a token signed with another secret or with a changed payload', () => {
    const token = signAccessToken({ sub: 's1', typ: 'staff', fid: 'f1' }, SECRET, 60);
    expect(verifyAccessToken(token, 'y'.repeat(32))).toBeNull();
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'owner', typ: 'staff', fid: 'f1', iat: 0, exp: 9e9 })).toString('base64url');
    expect(verifyAccessToken(`${h}.${forged}.${s}`, SECRET)).toBeNull();
    expect(verifyAccessToken('not-a-token', SECRET)).toBeNull();
  });
});
