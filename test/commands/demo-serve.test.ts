// `dbiam-doctor demo --serve`: the stand-in runs on its own, prints how to
// reach it, and serves other clients (the real SDK, the doctor) until
// interrupted.
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import * as common from 'oci-common';
import { IdentityClient } from 'oci-identity';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { ServeDocument } from '../../src/commands/demo/serve.js';
import { IDS } from '../../src/sim/tenancy.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem } from '../helpers/deps.js';

/** Starts `demo --serve` in-process; resolves once its JSON document is complete. */
async function serve(argv: string[]): Promise<{ doc: ServeDocument; stop(): Promise<number> }> {
  let out = '';
  let interrupt: (() => void) | undefined;
  const exit = main({
    argv: ['demo', '--serve', ...argv],
    env: {},
    cwd: process.cwd(),
    system: fakeSystem(),
    stdout: { write: (s: string) => ((out += s), true), isTTY: false },
    stderr: { write: () => true, isTTY: false },
    onSignal: (handler) => {
      interrupt = handler;
      return () => (interrupt = undefined);
    },
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const doc = JSON.parse(out) as ServeDocument;
      return {
        doc,
        stop: async () => {
          interrupt?.();
          return exit;
        },
      };
    } catch {
      if (Date.now() > deadline) throw new Error(`demo --serve printed no document in 30 s: ${out.slice(0, 200)}`);
      await Promise.race([exit, new Promise((r) => setTimeout(r, 25))]);
    }
  }
}

describe('dbiam-doctor demo --serve', () => {
  it('also serves the real service host names through its proxy, with a certificate from the CA file it prints', async () => {
    const { doc, stop } = await serve([]);
    try {
      expect(doc.proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const host = 'identity.us-ashburn-1.oci.oraclecloud.com';
      const proxyUrl = new URL(doc.proxy.url);
      const tunnel = await new Promise<import('node:net').Socket>((resolve, reject) => {
        const req = httpRequest({ host: proxyUrl.hostname, port: Number(proxyUrl.port), method: 'CONNECT', path: `${host}:443` });
        req.on('connect', (res, socket) => (res.statusCode === 200 ? resolve(socket) : reject(new Error(`CONNECT answered ${res.statusCode}`))));
        req.on('error', reject);
        req.end();
      });
      const answer = await new Promise<string>((resolve, reject) => {
        const tls = tlsConnect({ socket: tunnel, servername: host, ca: readFileSync(doc.proxy.caFile, 'utf8') }, () => {
          tls.write(`GET /20160918/users/${IDS.alice} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
        });
        let data = '';
        tls.on('data', (c: Buffer) => (data += c.toString()));
        tls.on('close', () => resolve(data));
        tls.on('error', reject);
      });
      // Unsigned, so Identity answers as it does: 401.
      expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    } finally {
      await stop();
    }
  });

  it('prints loopback endpoints, a ready profile and a tnsnames entry, serves the SDK and the doctor, and stops on interrupt', async () => {
    const { doc, stop } = await serve([]);
    try {
      expect(doc.scenario).toBe('healthy');
      for (const url of [...Object.values(doc.endpoints), doc.imdsUrl]) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
      expect(Object.keys(doc.endpoints).sort()).toEqual(['auth', 'database', 'dataplane', 'dbtools', 'dbtools-runtime', 'identity', 'secrets']);
      expect(doc.ociConfig.text).toMatch(/^\[DEFAULT\]\n/);
      expect(doc.ociConfig.text).toContain('security_token_file=');
      expect(doc.database.tnsnames).toMatch(/^ledger_high = \(DESCRIPTION=/i);
      expect(doc.database.descriptor).toMatch(/\(HOST=(127\.0\.0\.1|localhost)\)/i);
      expect(doc.env).toMatchObject({ OCI_CLI_AUTH: 'security_token', TNS_ADMIN: doc.database.tnsAdmin, NODE_EXTRA_CA_CERTS: doc.database.caFile });

      // Anyone's SDK code, with the printed profile and endpoint.
      const provider = new common.SessionAuthDetailProvider(doc.ociConfig.file, doc.ociConfig.profile);
      const identity = new IdentityClient({ authenticationDetailsProvider: provider }, { retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) } });
      identity.endpoint = doc.endpoints.identity as string;
      expect((await identity.getUser({ userId: IDS.alice })).user.name).toBe('alice@example.com');

      // The doctor itself, with the printed arguments and home.
      const run = await runCli(['--format', 'json', ...doc.doctorArgs], { system: fakeSystem({ homeDir: doc.home }), now: () => new Date(), env: {} });
      const report = JSON.parse(run.stdout) as { checks: { id: string; findings: { code: string; severity: string }[] }[] };
      expect(report.checks.flatMap((c) => c.findings.filter((f) => f.severity !== 'info').map((f) => f.code))).toEqual([]);
      expect(report.checks.find((c) => c.id === 'db.identity')?.findings[0]?.code).toBe('db.identity-confirmed');
    } finally {
      expect(await stop()).toBe(0);
    }
    expect(existsSync(doc.home)).toBe(false);
  }, 60_000);

  it('serves a broken scenario the same way the demo runs it', async () => {
    const { doc, stop } = await serve(['no-global-mapping']);
    try {
      const run = await runCli(['--format', 'json', ...doc.doctorArgs], { system: fakeSystem({ homeDir: doc.home }), now: () => new Date(), env: {} });
      const report = JSON.parse(run.stdout) as { checks: { findings: { code: string; severity: string }[] }[] };
      expect(report.checks.flatMap((c) => c.findings.filter((f) => f.severity !== 'info').map((f) => f.code))).toEqual(['db.no-global-mapping']);
    } finally {
      await stop();
    }
  }, 60_000);
});
