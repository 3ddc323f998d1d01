// The suite-wide loopback guard (test/helpers/loopback-guard.cjs) really
// stops a stray connection, in this process and in the processes tests spawn.
import { spawnSync } from 'node:child_process';
import dns from 'node:dns';
import net from 'node:net';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';

const guard = createRequire(import.meta.url)('../helpers/loopback-guard.cjs') as { takeViolations(): string[]; isLoopbackHost(h: string): boolean };

// Taken here, so the suite's own afterEach does not fail these tests.
const takeViolations = (): string[] => guard.takeViolations();

afterEach(() => void takeViolations());

function connectOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => (s.destroy(), resolve('connected')));
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

describe('loopback guard', () => {
  it('tells loopback from everything else', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST']) expect(guard.isLoopbackHost(h), h).toBe(true);
    for (const h of ['169.254.169.254', '10.0.0.5', '192.168.1.1', '172.16.0.1', '8.8.8.8', '::ffff:10.0.0.1', 'fe80::1', 'auth.us-ashburn-1.oraclecloud.com']) expect(guard.isLoopbackHost(h), h).toBe(false);
  });

  it('fails a connect to the instance metadata address at once, and records it', async () => {
    expect(await connectOutcome('169.254.169.254', 80)).toBe('ELOOPBACKGUARD');
    expect(takeViolations().join('\n')).toContain('169.254.169.254:80');
  });

  it('fails fetch to a private address and a DNS lookup of a public name', async () => {
    const err = await fetch('http://10.0.0.5:1522/').then(
      () => undefined,
      (e: { cause?: { code?: string } }) => e,
    );
    expect(err?.cause?.code).toBe('ELOOPBACKGUARD');
    await expect(dns.promises.lookup('identity.us-ashburn-1.oci.oraclecloud.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    const seen = takeViolations().join('\n');
    expect(seen).toContain('10.0.0.5');
    expect(seen).toContain('identity.us-ashburn-1.oci.oraclecloud.com');
  });

  it('lets loopback through', async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      expect(await connectOutcome('127.0.0.1', port)).toBe('connected');
      expect(await connectOutcome('localhost', port)).toBe('connected');
    } finally {
      server.close();
    }
    expect(takeViolations()).toEqual([]);
  });

  it('follows into a child given a whole environment of its own', () => {
    const script = "require('net').connect(1522,'10.0.0.5').on('error',e=>{console.log(e.code);process.exit(0)})";
    const r = spawnSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 10_000 });
    expect(r.stdout.trim()).toBe('ELOOPBACKGUARD');
    expect(r.stderr).toContain('loopback guard: blocked connect to 10.0.0.5:1522');
    expect(takeViolations().join('\n')).toContain('10.0.0.5:1522');
  });
});
