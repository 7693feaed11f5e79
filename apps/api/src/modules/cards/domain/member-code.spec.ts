import fc from 'fast-check';
import { checkCode, codeWindow, makeCode, parseCode, windowOf, type CodeSubject } from './member-code';

const SECRET = 'a-member-code-secret-of-at-least-32-chars';
const member: CodeSubject = { memberId: '6f1c2a3b-1111-4222-8333-944445555666', codeIndex: 42, uses: 0 };

describe('dynamic member code', () => {
  it('is 18 digits that start with 9 and carry the member index', () => {
    const code = makeCode(SECRET, member, 29_000_123);
    expect(code).toMatch(/^9\d{17}$/);
    expect(code.slice(1, 3)).toBe('23');
    expect(code.slice(3, 11)).toBe('00000042');
    expect(parseCode(code)).toEqual({ windowMod100: 23, codeIndex: 42, mac: code.slice(11) });
  });

  it('is valid in its window and the next one, expired after that', () => {
    const w = windowOf(new Date('2026-05-01T10:00:30Z'));
    const parsed = parseCode(makeCode(SECRET, member, w))!;
    expect(checkCode(SECRET, parsed, member, w)).toBe('valid');
    expect(checkCode(SECRET, parsed, member, w + 1)).toBe('valid');
    expect(checkCode(SECRET, parsed, member, w + 2)).toBe('expired');
    expect(checkCode(SECRET, parsed, member, w + 99)).toBe('expired');
  });

  it('no longer matches once the member’s use counter moved on', () => {
    const parsed = parseCode(makeCode(SECRET, member, 1000))!;
    expect(checkCode(SECRET, parsed, { ...member, uses: 1 }, 1000)).toBe('used');
    expect(checkCode(SECRET, parsed, { ...member, uses: 2 }, 1000)).toBe('invalid');
  });

  it('refuses a code made with another secret or for another member', () => {
    const parsed = parseCode(makeCode('another-secret-that-is-also-long-enough!', member, 1000))!;
    expect(checkCode(SECRET, parsed, member, 1000)).toBe('invalid');
    const other = { ...member, memberId: '6f1c2a3b-1111-4222-8333-944445555667' };
    expect(checkCode(SECRET, parseCode(makeCode(SECRET, other, 1000))!, member, 1000)).toBe('invalid');
  });

  it('rejects malformed input', () => {
    for (const bad of ['', '123', '812345678901234567', '9'.padEnd(18, 'x'), '900000000001234567'.slice(0, 17), '902000000001234567']) {
      expect(parseCode(bad)).toBeNull();
    }
  });

  it('maps the two window digits back to the latest matching window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 1e9 }), fc.integer({ min: 0, max: 99 }), (current, back) => {
        const made = current - back;
        const parsed = parseCode(makeCode(SECRET, member, made))!;
        expect(codeWindow(parsed, current)).toBe(made);
      }),
    );
  });

  it('detects any change to a single digit of the MAC', () => {
    fc.assert(
      fc.property(fc.integer({ min: 11, max: 17 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const code = makeCode(SECRET, member, 5000);
        const digit = (Number(code[pos]) + delta) % 10;
        const tampered = code.slice(0, pos) + digit + code.slice(pos + 1);
        expect(checkCode(SECRET, parseCode(tampered)!, member, 5000)).toBe('invalid');
      }),
    );
  });
});
