// A real-shaped run (npm run bench): the doctor, a process of its own, against
// the demo's healthy world served from this process (`demo --serve`'s world)
// with 40-80 ms of latency on every call to the simulated OCI services, as a
// real region's round trips are. Judged: spawn until the verdict line, against
// the critical path of that run's own waits; target ≤ 1.3×.
//
// Which calls are whose: each check's own calls are found once by running the
// doctor with `--only <check>` (which runs the check and what it depends on)
// against the same world; the calls its dependencies make on their own are
// taken away, and what is left is the check's. In each judged run, every
// check is then given its own calls out of that run's calls, and its wait is
// the time at least one of them was held (the union of the spans from each
// call's arrival to its answer leaving the world, the latency and the world's
// own work on it: calls made in parallel count once). The longest chain of those
// waits through the checks' dependency graph (dependsOn and after) is the
// least time any doctor could take to that run's verdict with that run's round
// trips and no work of its own. The database listener answers without added
// latency. Latencies are drawn afresh for every call, and each run is compared
// with its own draw; judged: the median of the runs' ratios.
//
// Diagnostics beside it: when each run's first OCI request reached the world,
// and the floor, a process that makes only that request
// (scripts/floor-first-call.ts, bundled as dist/ is), run after each run. The
// target leaves 0.3 × the critical path for all of a run's own work; the
// floor shows how much of that the first request alone needs.
// BENCH_RUNS=<n> runs fewer (or more) than 15; BENCH_DEBUG=1 lists each
// check's own calls.
// Run with tsx: it starts the simulated world from the sources.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from './build.mjs';
import { readSystemFacts } from '../src/adapters/system.js';
import { findScenario } from '../src/commands/demo/scenarios.js';
import { serveDemo, type ServeDocument } from '../src/commands/demo/serve.js';
import type { DemoWorld } from '../src/commands/demo/world.js';

const LATENCY = { min: 40, max: 80 };
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TARGET = 1.3;
const TIMEOUT_MS = 60_000;
const VERDICT_LINE = /\d+ passed, \d+ warnings?, \d+ failed, \d+ errors?/;

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const cwd = mkdtempSync(join(tmpdir(), 'dbiam-bench-latency-'));

type Call = DemoWorld['calls'][number];

async function main(): Promise<number> {
  const healthy = findScenario('healthy');
  if (!healthy) throw new Error('no healthy scenario');
  const scenario = {
    ...healthy,
    apply(setup: Parameters<NonNullable<typeof healthy.apply>>[0], tools: Parameters<NonNullable<typeof healthy.apply>>[1]) {
      healthy.apply?.(setup, tools);
      setup.fixture.service = { ...setup.fixture.service, latencyMs: LATENCY };
    },
  };
  let out = '';
  let stop: (() => void) | undefined;
  let world: DemoWorld | undefined;
  const served = serveDemo(
    scenario,
    {
      argv: [],
      env: {},
      cwd,
      system: readSystemFacts(),
      stdout: { write: (s: string) => ((out += s), true), isTTY: false },
      stderr: { write: () => true, isTTY: false },
      onSignal: (handler) => {
        stop = handler;
        return () => (stop = undefined);
      },
    },
    (w) => (world = w),
  );
  const doc = await documentOf(() => out);
  try {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: doc.home, LANG: 'C.UTF-8', NODE_OPTIONS: `--require=${join(root, 'test', 'helpers', 'loopback-guard.cjs')}` };
    const calls = (): Call[] => world?.calls ?? [];
    const doctor = (extra: string[]) => [cli, '--format', 'text', ...extra, ...doc.doctorArgs];

    // The critical path's graph, and each check's own calls, found anew in every pass.
    const catalogue = JSON.parse(spawnSync(process.execPath, [cli, 'checks', '--format', 'json'], { env, encoding: 'utf8', timeout: TIMEOUT_MS }).stdout) as { checks: { id: string; dependsOn: string[]; after?: string[] }[] };
    const waitsFor = new Map(catalogue.checks.map((c) => [c.id, [...c.dependsOn, ...(c.after ?? [])]]));
    const closure = (id: string, seen = new Set<string>()): Set<string> => {
      for (const d of waitsFor.get(id) ?? []) if (!seen.has(d)) closure(d, seen.add(d));
      return seen;
    };

    const key = (c: Call): string => `${c.method} ${c.path}`;
    /** Each check's own calls (as method and path, repeats kept), from `--only <check>` runs against the world. */
    const ownCallKeys = async (): Promise<Map<string, string[]>> => {
      const callsOf = new Map<string, Call[]>();
      for (const { id } of catalogue.checks) {
        const before = calls().length;
        // Asynchronously: the world answering it runs on this process's event loop.
        await runToExit([cli, '--format', 'json', '--only', id, ...doc.doctorArgs], env);
        callsOf.set(id, calls().slice(before));
      }
      const own = new Map<string, string[]>();
      for (const { id } of catalogue.checks) {
        // The most times any one dependency's run made each call: those are theirs.
        const theirs = new Map<string, number>();
        for (const d of closure(id)) {
          const counts = new Map<string, number>();
          for (const c of callsOf.get(d) ?? []) counts.set(key(c), (counts.get(key(c)) ?? 0) + 1);
          for (const [k, n] of counts) theirs.set(k, Math.max(theirs.get(k) ?? 0, n));
        }
        own.set(
          id,
          (callsOf.get(id) ?? []).map(key).filter((k) => {
            const left = theirs.get(k) ?? 0;
            if (left === 0) return true;
            theirs.set(k, left - 1);
            return false;
          }),
        );
      }
      return own;
    };

    /** The longest chain of the checks' own waits in one run: each check's own calls taken from `runCalls`, in catalogue order. */
    const criticalPath = (own: Map<string, string[]>, runCalls: readonly Call[]): { ms: number; chain: string[]; unowned: number } => {
      const pool = new Map<string, Call[]>();
      for (const c of runCalls) pool.set(key(c), [...(pool.get(key(c)) ?? []), c]);
      const ownWait = new Map<string, number>();
      for (const { id } of catalogue.checks) {
        const mine = (own.get(id) ?? []).flatMap((k) => pool.get(k)?.shift() ?? []);
        ownWait.set(id, unionMs(mine));
        // BENCH_DEBUG=1 lists each check's own calls (start offset + latency): where the waits are.
        if (process.env.BENCH_DEBUG && mine.length) process.stderr.write(`${id}: ${mine.map((c) => `${(c.receivedMs as number - (mine[0]?.receivedMs as number)).toFixed(0)}+${(c.latencyMs as number).toFixed(0)} ${c.method} ${c.path}`).join('\n    ')}\n`);
      }
      const finish = new Map<string, number>();
      const via = new Map<string, string | undefined>();
      const finishOf = (id: string): number => {
        if (!finish.has(id)) {
          let best = 0;
          let from: string | undefined;
          for (const d of waitsFor.get(id) ?? []) {
            const f = finishOf(d);
            if (f > best) (best = f), (from = d);
          }
          finish.set(id, best + (ownWait.get(id) ?? 0));
          via.set(id, from);
        }
        return finish.get(id) ?? 0;
      };
      let last = '';
      for (const { id } of catalogue.checks) if (finishOf(id) > (finish.get(last) ?? -1)) last = id;
      const chain: string[] = [];
      for (let at: string | undefined = last; at; at = via.get(at)) chain.unshift(`${at} ${(ownWait.get(at) ?? 0).toFixed(0)}`);
      return { ms: finish.get(last) ?? 0, chain, unowned: [...pool.values()].reduce((n, left) => n + left.length, 0) };
    };

    // Whose calls are whose; one warm-up run; then RUNS runs as a user starts
    // them (spawn until the verdict line), each against its own critical path.
    const own = await ownCallKeys();
    const warmUp = calls().length;
    await untilVerdict(doctor([]), env);
    const floorArgs = await floorFirstCall(doc, calls().slice(warmUp), env);
    // The world logs on this process's clock: when a run's first OCI request reached it, from the run's spawn.
    const firstCallAfter = (spawnedAt: number, runCalls: readonly Call[]): number => Math.min(...runCalls.map((c) => c.receivedMs ?? Number.POSITIVE_INFINITY)) - spawnedAt;
    const runs: { wall: number; critical: number; chain: string[]; unowned: number; ratio: number; firstCall: number; floorFirstCall: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const before = calls().length;
      const spawnedAt = performance.now();
      const wall = await untilVerdict(doctor([]), env);
      const runCalls = calls().slice(before);
      const path = criticalPath(own, runCalls);
      // Interleaved with each run: the floor process, making that first request only.
      const floorBefore = calls().length;
      const floorSpawnedAt = performance.now();
      await runToExit(floorArgs, env);
      const floorFirstCall = firstCallAfter(floorSpawnedAt, calls().slice(floorBefore));
      runs.push({ wall, critical: path.ms, chain: path.chain, unowned: path.unowned, ratio: wall / path.ms, firstCall: firstCallAfter(spawnedAt, runCalls), floorFirstCall });
    }
    const ratio = medianOf(runs.map((r) => r.ratio));
    const ok = Number.isFinite(ratio) && ratio <= TARGET;
    const middle = [...runs].sort((a, b) => a.ratio - b.ratio)[Math.floor(runs.length / 2)] ?? runs[0];
    process.stdout.write(
      [
        '',
        `  a real-shaped run (${LATENCY.min}–${LATENCY.max} ms per OCI call): median of ${RUNS} runs' ratios ${ratio.toFixed(2)}× → ${ok ? 'PASS' : 'FAIL'} (target ≤ ${TARGET}×); ratios ${Math.min(...runs.map((r) => r.ratio)).toFixed(2)}–${Math.max(...runs.map((r) => r.ratio)).toFixed(2)}; runs median ${medianOf(runs.map((r) => r.wall)).toFixed(0)} ms (min ${Math.min(...runs.map((r) => r.wall)).toFixed(0)}), their critical paths median ${medianOf(runs.map((r) => r.critical)).toFixed(0)} ms`,
        `    the median run: ${middle?.wall.toFixed(0)} ms vs ${middle?.critical.toFixed(0)} ms; its chain: ${middle?.chain.join(' → ')} (ms)${runs.some((r) => r.unowned > 0) ? `; calls no check owns: up to ${Math.max(...runs.map((r) => r.unowned))} per run` : ''}`,
        `    diagnostic: the run's own time (run less its critical path) median ${medianOf(runs.map((r) => r.wall - r.critical)).toFixed(0)} ms, of which before its first OCI request reached the world median ${medianOf(runs.map((r) => r.firstCall)).toFixed(0)} ms (min ${Math.min(...runs.map((r) => r.firstCall)).toFixed(0)}); the target leaves ${(medianOf(runs.map((r) => r.critical)) * (TARGET - 1)).toFixed(0)} ms for all of it`,
        `    diagnostic, the floor: a process making only that first request (Who am I's GetUser through the doctor's own adapter, bundled as dist/ is: scripts/floor-first-call.ts), interleaved with the runs: it reached the world median ${medianOf(runs.map((r) => r.floorFirstCall)).toFixed(0)} ms after spawn (min ${Math.min(...runs.map((r) => r.floorFirstCall)).toFixed(0)})`,
        `    method: spawn of \`node dist/cli.js --format text\` with \`demo --serve healthy\`'s arguments and home, the world served from the bench process with every simulated OCI call held ${LATENCY.min}–${LATENCY.max} ms (the database listener without added latency), until the summary line; ${RUNS} runs after one warm-up run, each against the critical path of its own waits (each check's calls — known from a \`--only <check>\` run less its dependencies' calls — taken from the run's calls, its wait the union of the spans the world held them, arrival to answer sent, the longest chain of waits through dependsOn/after); judged: the median of the runs' ratios`,
        '',
      ].join('\n'),
    );
    // PASS or FAIL is in the line above (bench.mjs reads it); a non-zero exit means the measurement itself failed.
    return 0;
  } finally {
    stop?.();
    await served;
    rmSync(cwd, { recursive: true, force: true });
  }
}

/**
 * scripts/floor-first-call.ts bundled as dist/ is, into the bench's directory,
 * and its arguments against the served world: the user Who am I asked for in
 * the warm-up run's calls, the session token and key the home's OCI config names.
 */
async function floorFirstCall(doc: ServeDocument, warmUpCalls: readonly Call[], env: Record<string, string>): Promise<string[]> {
  const userId = warmUpCalls.map((c) => /^\/20160918\/users\/([^/?]+)$/.exec(c.path)?.[1]).find((id) => id !== undefined);
  const setting = (name: string): string | undefined => new RegExp(`^${name}=(.+)$`, 'm').exec(doc.ociConfig.text)?.[1]?.trim();
  const [tokenFile, keyFile, region] = [setting('security_token_file'), setting('key_file'), setting('region')];
  const endpoint = doc.endpoints.identity;
  if (!userId || !tokenFile || !keyFile || !region || !endpoint) throw new Error('the floor needs the warm-up run to have asked for its user, and the served world an identity endpoint and a session-token profile');
  const outdir = join(cwd, 'floor');
  // .mjs: the bench's directory has no package.json saying its .js files are ES modules.
  await build({ ...bundleOptions, entryPoints: { floor: join(root, 'scripts', 'floor-first-call.ts') }, outdir, outExtension: { '.js': '.mjs' } });
  const bundle = join(outdir, 'floor.mjs');
  const args = [bundle, endpoint, userId, tokenFile, keyFile, region];
  // Checked once, asynchronously (the world answering it runs on this event loop): the floor must really make the call.
  const check = await runToExit(args, env);
  // stdout only: on Node 22+ the SDK's url.parse() draws a deprecation warning on stderr.
  if (check.code !== 0 || !check.stdout.startsWith('ok ')) throw new Error(`the floor process failed (exit ${check.code}): ${check.stdout}${check.stderr}`);
  return args;
}

/**
 * Total time at least one of the calls was held by the world: from its
 * arrival until its answer was sent, which is its latency plus the world's
 * own work on it (0.5–4 ms a call here): the doctor waits for both.
 */
function unionMs(calls: readonly Call[]): number {
  const spans = calls
    .filter((c) => c.receivedMs !== undefined && c.latencyMs !== undefined)
    .map((c) => [c.receivedMs as number, c.answeredMs ?? (c.receivedMs as number) + (c.latencyMs as number)] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [s, e] of spans) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function documentOf(read: () => string): Promise<ServeDocument> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    try {
      return JSON.parse(read()) as ServeDocument;
    } catch {
      if (Date.now() > deadline) throw new Error('demo --serve printed no document');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Runs node with `args` to its exit: its exit code and what it printed. */
function runToExit(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function untilVerdict(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] });
    let seen = '';
    let at: number | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString();
      if (at === undefined && VERDICT_LINE.test(seen)) at = performance.now() - t0;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (at !== undefined) resolve(at);
      else reject(new Error(`the doctor exited (${code}) without a verdict line:\n${seen.slice(-2000)}`));
    });
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench-latency: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
