import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extraCaCheck } from '../../src/checks/env/extra-ca.js';
import { proxyCheck } from '../../src/checks/env/proxy.js';
import { runtimeCheck } from '../../src/checks/env/runtime.js';
import { tnsAdminCheck } from '../../src/checks/env/tns-admin.js';
import type { DoctorCheck, DoctorDeps } from '../../src/checks/deps.js';
import { makeCert } from '../helpers/certs.js';
import { FIXED_NOW, tempDir, testDeps } from '../helpers/deps.js';

async function run(check: DoctorCheck, deps: DoctorDeps) {
  return check.run({ deps, dataOf: () => undefined, codesSoFar: () => [], resultOf: () => undefined }, new AbortController().signal);
}
const codes = (o: { findings: { code: string }[] }) => o.findings.map((f) => f.code);

describe('env.runtime', () => {
  it('passes on Node 20 and fails on Node 18 with the upgrade', async () => {
    expect(codes(await run(runtimeCheck, testDeps()))).toEqual([]);
    const old = await run(runtimeCheck, testDeps({ system: { nodeVersion: '18.19.0' } }));
    expect(codes(old)).toEqual(['env.node-unsupported']);
    expect(old.findings[0]?.evidence.node).toBe('v18.19.0');
  });
});

describe('env.proxy', () => {
  it('passes without proxy variables', async () => {
    expect((await run(proxyCheck, testDeps())).findings).toEqual([]);
  });
  it('warns when a proxy is set, without showing its credentials', async () => {
    const out = await run(proxyCheck, testDeps({ env: { HTTPS_PROXY: 'http://bob:pr0xy-canary@proxy.corp:3128' } }));
    expect(codes(out)).toEqual(['env.proxy-not-applied']);
    expect(JSON.stringify(out)).not.toContain('pr0xy-canary');
    expect(out.findings[0]?.evidence.HTTPS_PROXY).toBe('http://***@proxy.corp:3128');
    expect(out.findings[0]?.evidence.NO_PROXY).toBe('(not set)');
  });
});

describe('env.extra-ca', () => {
  const dir = tempDir();
  const ca = makeCert({ commonName: 'Corp Root CA', isCA: true });
  const expired = makeCert({ commonName: 'Old Root CA', isCA: true, notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('passes when unset', async () => {
    expect((await run(extraCaCheck, testDeps())).summary).toMatch(/not set/);
  });
  it('counts the certificates of a certifi-style bundle with comment headers', async () => {
    const p = file('bundle.pem', `# Issuer: CN=Corp Root CA\n# Label: "Corp"\n${ca.certPem}\n# Label: "Other"\n${makeCert({ commonName: 'Other CA', isCA: true }).certPem}`);
    const out = await run(extraCaCheck, testDeps({ env: { NODE_EXTRA_CA_CERTS: p } }));
    expect(out.findings).toEqual([]);
    expect(out.summary).toMatch(/^2 certificate/);
  });
  it('fails on a missing file and on a file without certificates', async () => {
    expect(codes(await run(extraCaCheck, testDeps({ env: { NODE_EXTRA_CA_CERTS: join(dir, 'nope.pem') } })))).toEqual(['env.extra-ca-missing']);
    expect(codes(await run(extraCaCheck, testDeps({ env: { NODE_EXTRA_CA_CERTS: file('empty.pem', 'hello\n') } })))).toEqual(['env.extra-ca-no-certificates']);
  });
  it('warns on a broken block and on an expired CA in a short custom file', async () => {
    const broken = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n';
    const out = await run(extraCaCheck, testDeps({ env: { NODE_EXTRA_CA_CERTS: file('mixed.pem', `${ca.certPem}${broken}${expired.certPem}`) } }));
    expect(codes(out)).toEqual(['env.extra-ca-bad-block', 'env.extra-ca-expired']);
    expect(Object.keys(out.findings[1]?.evidence ?? {})[0]).toContain('Old Root CA');
    expect(FIXED_NOW > new Date('2021-01-01')).toBe(true);
  });
  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)('fails on an unreadable file', async () => {
    const p = file('locked.pem', ca.certPem);
    chmodSync(p, 0o000);
    expect(codes(await run(extraCaCheck, testDeps({ env: { NODE_EXTRA_CA_CERTS: p } })))).toEqual(['env.extra-ca-unreadable']);
  });
});

describe('env.tns-admin', () => {
  it('reports a missing directory, a file, an empty directory and a wallet directory', async () => {
    const dir = tempDir();
    const deps = (tnsAdmin: string) => testDeps({ argv: ['--tns-admin', tnsAdmin] });
    expect(codes(await run(tnsAdminCheck, deps(join(dir, 'missing'))))).toEqual(['env.tns-admin-missing']);
    writeFileSync(join(dir, 'tnsnames.ora'), 'x = (DESCRIPTION=)');
    expect(codes(await run(tnsAdminCheck, deps(join(dir, 'tnsnames.ora'))))).toEqual(['env.tns-admin-not-directory']);
    mkdirSync(join(dir, 'empty'));
    expect(codes(await run(tnsAdminCheck, deps(join(dir, 'empty'))))).toEqual(['env.tns-admin-empty']);
    writeFileSync(join(dir, 'ewallet.pem'), '');
    const ok = await run(tnsAdminCheck, deps(dir));
    expect(ok.findings).toEqual([]);
    expect(ok.summary).toContain('tnsnames.ora, ewallet.pem');
  });
});
