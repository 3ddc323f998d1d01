// Cold start of the built CLI to its first frame, against bare `node -e 0`.
// Run by `npm run bench` (which builds first). Measurements are interleaved in
// one run, so machine noise hits every series alike; medians are compared.
//
//   node -e 0            time until the process exits (it prints nothing)
//   (a) text, pipe       `node dist/cli.js --format text --only env.runtime`, stdout a pipe:
//                        time until the first stdout byte (text mode prints its header at once)
//   (b) screen, pty      `node dist/cli.js` in a pseudo-terminal (scripts/bench-pty.py):
//                        time until the first stdout byte of the Ink screen
//
// (b) is timed inside the python helper, so its baseline is `node -e 0` timed by
// the same helper. Children get a clean environment: HOME and cwd a fresh temp
// dir, only PATH (and TERM for the pty) kept, so no NODE_OPTIONS,
// NODE_EXTRA_CA_CERTS, CI or OCI_* variables leak in.
//
// Then, in the same run: the engine's parallelism on a full `demo` run (its
// wall time against the critical path of its checks' own durations, which are
// mostly network waits), the TLS probe against openssl s_client, and the
// policy engine at 100,000 statements.
// Exit code 1 when a measurement fails or any target is missed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = 15;
const WARMUP = 2;
const TARGET_RATIO = 2.5;
const TIMEOUT_MS = 10_000;

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const ptyHelper = join(root, 'scripts', 'bench-pty.py');
const node = process.execPath;

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

if (!existsSync(cli)) fail(`${cli} is missing: run \`npm run build\` (or \`npm run bench\`, which builds first)`);
const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0);

const home = mkdtempSync(join(tmpdir(), 'dbiam-bench-'));
process.on('exit', () => rmSync(home, { recursive: true, force: true }));
// Every process the benchmark starts carries the loopback guard: a stray connection fails at once.
const guard = `--require=${join(root, 'test', 'helpers', 'loopback-guard.cjs')}`;
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: process.env.LANG ?? 'C.UTF-8', NODE_OPTIONS: guard };
const ttyEnv = { ...env, TERM: 'xterm-256color' };

/** ms from spawn until the first stdout byte (or until exit when `until` is 'exit'). */
function timeSpawn(args, until) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const child = spawn(node, args, { cwd: home, env, stdio: ['ignore', 'pipe', 'ignore'] });
    let result;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')}: no ${until === 'exit' ? 'exit' : 'output'} within ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.stdout.on('data', () => {
      if (until === 'first-byte' && result === undefined) {
        result = elapsed();
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (until === 'exit') result = elapsed();
      // The stream may report its first data only after 'exit': wait for 'close'.
      child.on('close', () => {
        clearTimeout(timer);
        if (result !== undefined) resolve(result);
        else reject(new Error(`node ${args.join(' ')}: exited (${code ?? signal}) without output`));
      });
    });
  });
}

/** ms until the first stdout byte in a pty, timed by the python helper (or exit, for a silent command). */
function timePty(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [ptyHelper, String(TIMEOUT_MS / 1000), node, ...args], {
      cwd: home,
      env: ttyEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS + 5000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`bench-pty.py exited ${code}: ${err.trim()}`));
      try {
        const r = JSON.parse(out);
        resolve({ firstByte: r.firstByteMs ?? r.exitMs, firstText: r.firstTextMs, sample: r.bytes });
      } catch {
        reject(new Error(`bench-pty.py printed no result: ${out.trim()} ${err.trim()}`));
      }
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x) => (x === undefined ? '—' : x.toFixed(1));

const series = {
  node: [],
  textFirstByte: [],
  ptyNode: [],
  ptyFirstByte: [],
  ptyFirstText: [],
};
const textArgs = [cli, '--format', 'text', '--only', 'env.runtime'];
let ptySample = '';

process.stdout.write(`dbiam-doctor cold start: ${RUNS} runs each (+${WARMUP} warm-up), interleaved, node ${process.version}\n`);
if (!python) process.stdout.write('python3 not found: the pseudo-terminal measurement (b) is skipped\n');
try {
  for (let i = 0; i < WARMUP + RUNS; i += 1) {
    const keep = i >= WARMUP;
    const n = await timeSpawn(['-e', '0'], 'exit');
    const a = await timeSpawn(textArgs, 'first-byte');
    if (keep) {
      series.node.push(n);
      series.textFirstByte.push(a);
    }
    if (python) {
      const pn = await timePty(['-e', '0']);
      // --offline: with no OCI config the doctor would otherwise probe the instance metadata address.
      const b = await timePty([cli, '--offline']);
      if (keep) {
        series.ptyNode.push(pn.firstByte);
        series.ptyFirstByte.push(b.firstByte);
        if (b.firstText !== null && b.firstText !== undefined) series.ptyFirstText.push(b.firstText);
      }
      ptySample ||= b.sample;
    }
  }
} catch (err) {
  fail(`measurement failed: ${err instanceof Error ? err.message : String(err)}`);
}

const row = (label, xs, base) => {
  const med = xs.length ? median(xs) : undefined;
  const ratio = med !== undefined && base !== undefined ? `${(med / base).toFixed(2)}×` : '';
  const range = xs.length ? `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}` : '';
  return `  ${label.padEnd(44)} ${fmt(med).padStart(8)} ${range.padStart(14)} ${ratio.padStart(7)}`;
};

const nodeMed = median(series.node);
const lines = [
  '',
  `  ${'measurement'.padEnd(44)} ${'median'.padStart(8)} ${'min–max ms'.padStart(14)} ${'cli/node'.padStart(7)}`,
  row('node -e 0 (to exit)', series.node, undefined),
  row('(a) cli --format text, pipe (first byte)', series.textFirstByte, nodeMed),
];
const verdicts = [];
const verdict = (label, ratio) => {
  const ok = ratio <= TARGET_RATIO;
  verdicts.push(ok);
  return `  ${label}: cli/node = ${ratio.toFixed(2)} → ${ok ? 'PASS' : 'FAIL'} (target ≤ ${TARGET_RATIO})`;
};
const results = [verdict('(a) text, pipe  ', median(series.textFirstByte) / nodeMed)];
if (python) {
  const ptyNodeMed = median(series.ptyNode);
  lines.push(
    row('node -e 0 in a pty (to exit)', series.ptyNode, undefined),
    row('(b) cli screen, pty (first byte)', series.ptyFirstByte, ptyNodeMed),
    row('(b) cli screen, pty (first visible text)', series.ptyFirstText, ptyNodeMed),
  );
  results.push(verdict('(b) screen, pty ', median(series.ptyFirstByte) / ptyNodeMed));
}
process.stdout.write(`${lines.join('\n')}\n\n${results.join('\n')}\n`);
if (ptySample) process.stdout.write(`\n  first bytes of the screen: ${JSON.stringify(ptySample.slice(0, 60))}\n`);
process.stdout.write(
  verdicts.every(Boolean)
    ? `\nTarget met: first frame within ${TARGET_RATIO}× of bare node.\n`
    : `\nTarget NOT met: first frame is slower than ${TARGET_RATIO}× bare node (see FAIL above).\n`,
);

// The engine's parallelism: a full `demo healthy` run's wall time (the
// report's durationMs) against its critical path, the longest chain of
// dependent checks by their own durations. Sequential checks would make the
// wall time the sum of all durations instead.
const DEMO_RUNS = 5;
const PARALLELISM_TARGET = 1.3;
function demoParallelism() {
  const catalogue = spawnSync(node, [cli, 'checks', '--format', 'json'], { cwd: home, env, encoding: 'utf8', timeout: 30_000 });
  if (catalogue.status !== 0) throw new Error(`checks --format json exited ${catalogue.status ?? catalogue.signal}`);
  // A check waits for its dependencies and its `after` checks alike.
  const dependsOn = new Map(JSON.parse(catalogue.stdout).checks.map((c) => [c.id, [...c.dependsOn, ...(c.after ?? [])]]));
  const samples = [];
  for (let i = 0; i < DEMO_RUNS; i += 1) {
    const r = spawnSync(node, [cli, 'demo', 'healthy', '--format', 'json'], { cwd: home, env, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`demo healthy exited ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().slice(0, 300)}`);
    const report = JSON.parse(r.stdout);
    const duration = new Map(report.checks.map((c) => [c.id, c.durationMs]));
    const finish = new Map();
    const finishOf = (id) => {
      if (!finish.has(id)) finish.set(id, (duration.get(id) ?? 0) + Math.max(0, ...(dependsOn.get(id) ?? []).map(finishOf)));
      return finish.get(id);
    };
    const critical = Math.max(...report.checks.map((c) => finishOf(c.id)));
    const sum = report.checks.reduce((n, c) => n + c.durationMs, 0);
    samples.push({ wall: report.durationMs, critical, sum, ratio: report.durationMs / Math.max(critical, 1) });
  }
  const med = (k) => median(samples.map((x) => x[k]));
  const ratio = med('ratio');
  const ok = ratio <= PARALLELISM_TARGET;
  process.stdout.write(
    [
      '',
      `demo healthy: ${DEMO_RUNS} runs, medians`,
      `  wall time of the run                 ${fmt(med('wall')).padStart(8)} ms`,
      `  critical path of its checks          ${fmt(med('critical')).padStart(8)} ms`,
      `  sum of all checks' durations         ${fmt(med('sum')).padStart(8)} ms (what a sequential run would take)`,
      `  wall/critical = ${ratio.toFixed(2)} → ${ok ? 'PASS' : 'FAIL'} (target ≤ ${PARALLELISM_TARGET})`,
      '',
    ].join('\n'),
  );
  return ok;
}
try {
  verdicts.push(demoParallelism());
} catch (err) {
  process.stdout.write(`\ndemo parallelism: the measurement itself failed: ${err instanceof Error ? err.message : String(err)}\n`);
  verdicts.push(false);
}

// The other numbers the issues ask for, measured in this same run. Each prints
// its own PASS/FAIL line; a FAIL (or a failed measurement) fails the bench.
for (const [label, args] of [
  ['TLS probe vs openssl s_client', ['scripts/bench-tls.mjs']],
  ['policy engine', ['--import', 'tsx', 'scripts/bench-policy.ts']],
]) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', timeout: 300_000 });
  process.stdout.write(r.stdout ?? '');
  if (r.status !== 0) process.stdout.write(`\n${label}: the measurement itself failed (exit ${r.status ?? r.signal}).\n`);
  const said = r.stdout ?? '';
  verdicts.push(r.status === 0 && !/→ FAIL/.test(said) && (/→ PASS/.test(said) || /is skipped/.test(said)));
}

process.stdout.write(`\nmachine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB, ${os.platform()} ${os.release()}, node ${process.version}\n`);
if (!verdicts.every(Boolean)) {
  process.stdout.write('bench: at least one target was missed (see FAIL above)\n');
  process.exitCode = 1;
}
