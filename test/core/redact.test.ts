import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Redactor, describeSecret } from '../../src/core/redact.js';
import { keyFormatOf } from '../../src/core/private-key.js';

describe('redaction', () => {
  it('removes a registered secret and every long line of a multi-line one', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const r = new Redactor();
    r.addSecret(privateKey, 'private key');
    const secondLine = privateKey.split('\n')[1] as string;
    const out = r.redact(`key was ${privateKey}\nand a fragment: ${secondLine}`);
    expect(out).not.toContain(secondLine);
    expect(out).toContain('[private key redacted]');
  });

  it('removes unregistered PEM private keys, JWTs and pass phrase assignments by shape', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'sec1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from('{"sub":"canary"}').toString('base64url')}.c2lnbmF0dXJlLWNhbmFyeQ`;
    const r = new Redactor();
    const out = r.redact(`${privateKey}\ntoken ${jwt}\npass_phrase = hunter2-canary\n"walletPassword": "w4llet-canary"`);
    expect(keyFormatOf(out)).toBe('unknown'); // no private key block left at all
    expect(out).not.toContain(jwt.slice(20, 40));
    expect(out).not.toContain('hunter2-canary');
    expect(out).not.toContain('w4llet-canary');
    expect(out).toContain('pass_phrase = [redacted]');
  });

  it('keeps ordinary text intact', () => {
    const r = new Redactor();
    r.addSecret('s3cret-canary-value', 'password');
    const text = 'Session token: expires in 5 min · security_token_file = /home/u/.oci/sessions/DEFAULT/token';
    expect(r.redact(text)).toBe(text);
  });

  it('masks OCIDs, user, host and home only with --redact', () => {
    const text = 'user ocid1.user.oc1..aaaaaaaabbbbbbbbccccccccdd123456 on host build-42 as alice in /home/alice/.oci/config';
    const plain = new Redactor({ maskIdentifiers: false, homeDir: '/home/alice', userName: 'alice', hostName: 'build-42' });
    expect(plain.redact(text)).toBe(text);
    const masked = new Redactor({ maskIdentifiers: true, homeDir: '/home/alice', userName: 'alice', hostName: 'build-42' }).redact(text);
    expect(masked).toBe('user ocid1.user.oc1.…123456 on host <host> as <user> in ~/.oci/config');
  });

  it('redacts inside nested values, keys included', () => {
    const r = new Redactor();
    r.addSecret('canary-0123456789', 'token');
    expect(r.redactValue({ a: ['x canary-0123456789'], ['canary-0123456789']: 1 })).toEqual({ a: ['x [token redacted]'], ['[token redacted]']: 1 });
  });

  it('describes a secret by length and fingerprint, never by value', () => {
    const d = describeSecret('DB token', 'abcdefghijklmnop');
    expect(d).toMatch(/^\[DB token redacted, 16 chars, sha256:[0-9a-f]{12}\]$/);
    expect(d).not.toContain('abcdef');
  });
});

describe('short secrets', () => {
  it('replaces a short secret only as a whole token, leaving codes and words intact', () => {
    const r = new Redactor();
    r.addSecret('wrong', 'pass phrase');
    expect(r.redact('key.passphrase-wrong: pass_phrase wrong was set; wronged')).toBe('key.passphrase-wrong: pass_phrase [pass phrase redacted] was set; wronged');
  });
});
