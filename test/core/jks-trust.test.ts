// The JKS reader against stores written by a real keytool (OpenJDK 17,
// test/fixtures/jks/README.md has the commands), and against hostile bytes;
// the PKCS#12 reader against trust stores written by keytool and by openssl.
// The expected fingerprints are keytool's own -list output for those files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { certsFromJks } from '../../src/core/tls/jks-trust.js';
import { certsFromPkcs12 } from '../../src/core/tls/pkcs12-trust.js';
import { jksTrustStore } from '../../src/sim/jks.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'jks');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
// keytool -list -keystore two-roots.jks -storepass changeit
const TEST_ROOT_SHA256 = 'A0:5A:09:74:FC:14:01:51:0A:FA:4E:DC:EB:9D:3F:0D:D7:92:71:3E:CA:B9:00:4A:1F:A9:A6:80:60:B6:31:56';
const OTHER_ROOT_SHA256 = 'C7:71:8F:6E:71:DE:8A:26:24:7B:36:F9:69:13:FB:6D:1D:F4:C5:94:D0:D6:12:0D:0D:D0:1E:02:5B:7D:C0:1E';
// The entry creation times keytool wrote (the 8 bytes after each alias).
const ONE_ROOT_DATE = 1796272195418;
const TEST_ROOT_DATE = 1796272196117;
const OTHER_ROOT_DATE = 1796272196624;

describe('JKS trust stores written by keytool', () => {
  it('a one-root truststore.jks: its trusted certificate, without a password', () => {
    const r = certsFromJks(fixture('truststore.jks'));
    if (!r.ok) throw new Error(r.reason);
    expect(r.format).toBe('JKS');
    expect(r.entries).toEqual([{ alias: 'test-root', kind: 'trusted-cert' }]);
    expect(r.certs.map((c) => c.fingerprint256)).toEqual([TEST_ROOT_SHA256]);
    expect(r.certs[0]?.subject).toBe('CN=dbiam-doctor JKS Test Root CA,O=dbiam-doctor tests');
  });

  it('two roots, RSA and EC', () => {
    const r = certsFromJks(fixture('two-roots.jks'));
    if (!r.ok) throw new Error(r.reason);
    expect(r.certs.map((c) => c.fingerprint256).sort()).toEqual([TEST_ROOT_SHA256, OTHER_ROOT_SHA256].sort());
    expect(r.certs.map((c) => c.keyType).sort()).toEqual(['ec', 'rsa']);
  });

  it('the test writer writes byte for byte what keytool wrote', () => {
    expect(jksTrustStore([{ alias: 'test-root', cert: fixture('test-root.pem').toString(), date: ONE_ROOT_DATE }])).toEqual(fixture('truststore.jks'));
    const two = jksTrustStore([
      { alias: 'test-root', cert: fixture('test-root.pem').toString(), date: TEST_ROOT_DATE },
      { alias: 'other-root', cert: fixture('other-root.pem').toString(), date: OTHER_ROOT_DATE },
    ]);
    expect(two).toEqual(fixture('two-roots.jks'));
  });
});

describe('JKS reader: key entries and hostile input', () => {
  const root = fixture('test-root.pem').toString();

  it("a private-key entry's key bytes are skipped; the first certificate of its chain is trusted, as Java's trust manager does", () => {
    const other = fixture('other-root.pem').toString();
    const r = certsFromJks(jksTrustStore([{ alias: 'client', protectedKey: Buffer.alloc(300, 7), chain: [other, root] }, { alias: 'ca', cert: other }]));
    if (!r.ok) throw new Error(r.reason);
    expect(r.entries).toEqual([{ alias: 'client', kind: 'private-key' }, { alias: 'ca', kind: 'trusted-cert' }]);
    expect(r.certs.map((c) => c.fingerprint256)).toEqual([OTHER_ROOT_SHA256, OTHER_ROOT_SHA256]);
  });

  it('JCEKS trusted entries read the same way', () => {
    const r = certsFromJks(jksTrustStore([{ alias: 'ca', cert: root }], 'changeit', 0xcececece));
    expect(r).toMatchObject({ ok: true, format: 'JCEKS' });
  });

  it('every truncation is refused with a reason, never a throw or a short certificate', () => {
    const whole = fixture('two-roots.jks');
    for (let n = 0; n < whole.length - 20; n += 7) {
      const r = certsFromJks(whole.subarray(0, n));
      if (r.ok) expect(r.certs.length).toBeLessThan(2);
      else expect(r.reason).toMatch(/not a readable Java key store|wrong magic/);
    }
  });

  it('absurd counts and lengths are refused before anything is allocated', () => {
    const head = Buffer.from('feedfeed00000002', 'hex');
    expect(certsFromJks(Buffer.concat([head, Buffer.from('7fffffff', 'hex')]))).toMatchObject({ ok: false, reason: expect.stringMatching(/claims 2147483647 entries/) });
    const bigCert = Buffer.concat([head, Buffer.from('00000001' + '00000002' + '0001' + '61' + '0000000000000000' + '0005' + '582e353039' + 'ffffffff', 'hex')]);
    expect(certsFromJks(bigCert)).toMatchObject({ ok: false, reason: expect.stringMatching(/certificate of 4294967295 bytes/) });
    expect(certsFromJks(Buffer.from('feedfeed00000003', 'hex'))).toMatchObject({ ok: false, reason: expect.stringMatching(/version 3/) });
    expect(certsFromJks(Buffer.concat([head, Buffer.from('00000001' + '00000003', 'hex')]))).toMatchObject({ ok: false, reason: expect.stringMatching(/secret key/) });
    expect(certsFromJks(Buffer.concat([head, Buffer.from('00000001' + '00000009', 'hex')]))).toMatchObject({ ok: false, reason: expect.stringMatching(/tag 9/) });
  });

  it('an entry whose bytes are not a certificate adds no trust and is counted', () => {
    const r = certsFromJks(jksTrustStore([{ alias: 'junk', cert: Buffer.from('not a certificate') }, { alias: 'ca', cert: root }]));
    expect(r).toMatchObject({ ok: true, skipped: 1 });
    if (r.ok) expect(r.certs).toHaveLength(1);
  });
});

describe('PKCS#12 trust stores: which certificates Java takes as trusted', () => {
  it('keytool -importcert marks its certificate trusted (keytool -list: trustedCertEntry)', async () => {
    const r = await certsFromPkcs12(fixture('truststore.p12'), 'changeit');
    if (!r.ok) throw new Error(r.reason);
    expect(r.certs.map((c) => c.fingerprint256)).toEqual([TEST_ROOT_SHA256]);
    expect(r.javaTrusted.map((c) => c.fingerprint256)).toEqual([TEST_ROOT_SHA256]);
  });

  it('openssl pkcs12 -export -nokeys writes the same certificate unmarked (keytool -list: 0 entries)', async () => {
    const r = await certsFromPkcs12(fixture('openssl-nokeys.p12'), 'changeit');
    if (!r.ok) throw new Error(r.reason);
    expect(r.certs.map((c) => c.fingerprint256)).toEqual([TEST_ROOT_SHA256]);
    expect(r.javaTrusted).toEqual([]);
  });
});
