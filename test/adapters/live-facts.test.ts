// The live facts gateway against a loopback HTTP server: one request per read
// per run, none under --offline, and a pending read ends when the run is interrupted.
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { liveFacts } from '../../src/adapters/live-facts.js';
import type { SigningIdentity } from '../../src/checks/facts.js';

const USER = 'ocid1.user.oc1..aaaaaaaalivefactsuser';
let server: http.Server;
let url: string;
const requests: string[] = [];
/** Requests to this path are never answered (a stalled service). */
const STALL = 'ocid1.user.oc1..aaaaaaaastalled';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url?.includes(STALL)) return; // never answers
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: USER, name: 'alice', compartmentId: 'ocid1.tenancy.oc1..aaaaaaaat', description: '', timeCreated: '2026-01-01T00:00:00Z', lifecycleState: 'ACTIVE' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const identity: SigningIdentity = { kind: 'api_key', tenancy: 'ocid1.tenancy.oc1..aaaaaaaat', user: USER, fingerprint: '00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff', privateKeyPem: key, region: 'us-ashburn-1' };
const config = () => ({ endpoints: { identity: url }, env: {}, offline: false, nodeVersion: process.versions.node });

describe('live facts', () => {
  it('reads a fact once per run, however many checks ask, and again after renew', async () => {
    requests.length = 0;
    const facts = liveFacts(config());
    const [a, b] = await Promise.all([facts.oci.user(identity, USER), facts.oci.user(identity, USER)]);
    expect(a).toMatchObject({ ok: true, value: { id: USER, name: 'alice' }, request: `GET /20160918/users/${USER}` });
    expect(b).toBe(a);
    expect(requests).toEqual([`GET /20160918/users/${USER}`]);
    await facts.renew().oci.user(identity, USER);
    expect(requests).toHaveLength(2);
  });

  it('makes no request under --offline, and says so in the failure', async () => {
    requests.length = 0;
    const res = await liveFacts({ ...config(), offline: true }).oci.user(identity, USER);
    expect(res).toMatchObject({ ok: false, status: 0, code: 'Offline', request: `GET /20160918/users/${USER}` });
    expect(requests).toEqual([]);
  });

  it('ends a read the service never answers as soon as the run is interrupted', async () => {
    const run = new AbortController();
    const facts = liveFacts(config()).renew(run.signal);
    const pending = facts.oci.user(identity, STALL);
    await vi.waitFor(() => expect(requests.some((r) => r.includes(STALL))).toBe(true), { timeout: 5000 });
    run.abort();
    await expect(pending).resolves.toMatchObject({ ok: false, code: 'Aborted', request: `GET /20160918/users/${STALL}` });
  });
});
