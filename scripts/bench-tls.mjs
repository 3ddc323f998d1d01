// The doctor's TLS check as a user runs it against `openssl s_client
// -showcerts` on the same local server, whole process against whole process,
// in the same run, interleaved. Target: doctor / openssl ≤ 2.
//
//   server    a TLS server in its own node process (RSA 2048 leaf + intermediate,
//             made with openssl), so neither client shares its CPU
//   doctor    `node dist/cli.js --offline --only tls.chain --dsn tcps://localhost:PORT/svc
//             --ca-file root.pem --format text`, spawn to exit (judged)
//   openssl   `openssl s_client -connect … -servername localhost -showcerts </dev/null`,
//             spawn to exit: what a user runs to see the same chain
//   diagnostics, not judged: the probe alone (capturePresentedChain) warm in
//             this process, and in a fresh node process with the doctor's
//             environment, every run: the floor of any Node process doing this
//
// Run on its own (`node scripts/bench-tls.mjs`) or from scripts/bench.mjs.
// Exit code 0 unless a measurement itself fails (1); without openssl it says so and exits 0.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const RUNS = 15;
const WARMUP = 3;
const TARGET_RATIO = 2;
const TIMEOUT_MS = 10_000;

const root = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;

function fail(message) {
  process.stderr.write(`bench-tls: ${message}\n`);
  process.exit(1);
}

if (spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0) {
  process.stdout.write('TLS probe vs openssl s_client: openssl is missing on this machine, so the comparison is skipped.\n');
  process.exit(0);
}
const opensslVersion = execFileSync('openssl', ['version']).toString().trim();

const work = mkdtempSync(join(tmpdir(), 'dbiam-bench-tls-'));
const children = new Set();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

// Certificates: root → intermediate → leaf for localhost.
const ossl = (...args) => execFileSync('openssl', args, { cwd: work, stdio: 'ignore' });
try {
  writeFileSync(join(work, 'ca.cnf'), 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n');
  writeFileSync(join(work, 'leaf.cnf'), 'basicConstraints=critical,CA:false\nsubjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '30', '-subj', '/CN=bench root');
  ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/CN=bench intermediate');
  ossl('x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'int.pem', '-days', '30', '-extfile', 'ca.cnf');
  ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost');
  ossl('x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30', '-extfile', 'leaf.cnf');
} catch (err) {
  fail(`openssl could not make the test certificates: ${err.message}`);
}

// The probe, bundled from the TypeScript source (node builtins only).
const probeFile = join(work, 'net-probe.mjs');
await build({ entryPoints: [join(root, 'src', 'adapters', 'net-probe.ts')], outfile: probeFile, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
const { capturePresentedChain } = await import(pathToFileURL(probeFile).href);

// The server, in its own process.
const serverCode = `
const tls = require('node:tls'); const fs = require('node:fs'); const p = (f) => fs.readFileSync(${JSON.stringify(work)} + '/' + f, 'utf8');
const s = tls.createServer({ key: p('leaf.key'), cert: p('leaf.pem') + p('int.pem') }, (c) => { c.on('error', () => {}); c.end(); });
s.on('tlsClientError', () => {});
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));`;
const server = spawn(node, ['-e', serverCode], { stdio: ['ignore', 'pipe', 'inherit'] });
children.add(server);
const port = await new Promise((resolve, reject) => {
  const t = setTimeout(() => reject(new Error('the server did not start')), TIMEOUT_MS);
  server.stdout.once('data', (d) => {
    clearTimeout(t);
    resolve(Number(String(d).trim()));
  });
}).catch((err) => fail(err.message));

const hr = () => process.hrtime.bigint();
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

async function timeProbe() {
  const t0 = hr();
  const r = await capturePresentedChain('127.0.0.1', port, { servername: 'localhost' });
  const elapsed = ms(t0);
  if (!r.ok || r.chain.certificates.length !== 2) throw new Error(`probe: ${r.ok ? `${r.chain.certificates.length} certificates` : r.message}`);
  return elapsed;
}

function timeSpawn(cmd, args, check, env = process.env) {
  return new Promise((resolve, reject) => {
    const t0 = hr();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    children.add(child);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      children.delete(child);
      const elapsed = ms(t0);
      const problem = check(out);
      if (problem) reject(new Error(`${cmd}: ${problem}`));
      else resolve(elapsed);
    });
  });
}

const opensslRun = () =>
  timeSpawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-showcerts'], (out) => ((out.match(/BEGIN CERTIFICATE/g) ?? []).length === 2 ? undefined : 'did not print the 2 certificates'));
// The doctor as a user runs it: a clean HOME (no OCI config), the loopback guard on.
const cli = join(root, 'dist', 'cli.js');
const cliEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, LANG: 'C.UTF-8', NODE_OPTIONS: `--require=${join(root, 'test', 'helpers', 'loopback-guard.cjs')}` };
// The floor: the doctor's probe alone (node builtins only: no CLI, no other
// check, no report) in a fresh node process with the doctor's environment.
// It is what Node's start, its TLS stack, one handshake and reading the chain
// cost here; the doctor does all of that and more, so its ratio to openssl
// cannot fall below this one.
const coldProbe = () =>
  timeSpawn(node, ['--input-type=module', '-e', `const { capturePresentedChain } = await import(${JSON.stringify(pathToFileURL(probeFile).href)}); const r = await capturePresentedChain('127.0.0.1', ${port}, { servername: 'localhost' }); process.stdout.write(String(r.ok && r.chain.certificates.length));`], (out) => (out === '2' ? undefined : `printed '${out}'`), cliEnv);
const doctorRun = () =>
  timeSpawn(node, [cli, '--offline', '--format', 'text', '--only', 'tls.chain', '--dsn', `tcps://localhost:${port}/bench`, '--ca-file', join(work, 'root.pem')], (out) => (/verified by --ca-file/.test(out) ? undefined : `did not verify the chain:\n${out.slice(0, 400)}`), cliEnv);

const series = { doctor: [], probe: [], openssl: [], cold: [] };
process.stdout.write(`doctor --only tls.chain vs openssl s_client: ${RUNS} runs each (+${WARMUP} warm-up), interleaved, node ${process.version}, ${opensslVersion}\n`);
try {
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const keep = i >= WARMUP;
    const d = await doctorRun();
    const p = await timeProbe();
    const o = await opensslRun();
    const c = await coldProbe();
    if (keep) {
      series.doctor.push(d);
      series.probe.push(p);
      series.openssl.push(o);
      series.cold.push(c);
    }
  }
} catch (err) {
  fail(`measurement failed: ${err instanceof Error ? err.message : String(err)}`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const row = (label, xs) => `  ${label.padEnd(52)} ${median(xs).toFixed(1).padStart(8)} ${`${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`.padStart(14)}`;
const ratio = median(series.doctor) / median(series.openssl);
const ok = ratio <= TARGET_RATIO;
process.stdout.write(
  [
    '',
    `  ${'measurement (ms)'.padEnd(52)} ${'median'.padStart(8)} ${'min–max'.padStart(14)}`,
    row('doctor --only tls.chain --ca-file (spawn to exit)', series.doctor),
    row('openssl s_client -showcerts (spawn to exit)', series.openssl),
    row('diagnostic: the probe alone, warm, in process', series.probe),
    row('diagnostic: the probe alone in a fresh node process', series.cold),
    '',
    `  doctor/openssl = ${ratio.toFixed(2)} → ${ok ? 'PASS' : 'FAIL'} (target ≤ ${TARGET_RATIO}; whole process to whole process)`,
    `  diagnostic, the floor: probe alone in a fresh node process/openssl = ${(median(series.cold) / median(series.openssl)).toFixed(2)} (same environment as the doctor)`,
    '',
  ].join('\n'),
);
server.kill();
