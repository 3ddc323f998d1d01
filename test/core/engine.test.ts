import { describe, expect, it } from 'vitest';
import { until } from '../helpers/wait.js';
import { exitCodeFor, runChecks, summarize, validateGraph } from '../../src/core/engine.js';
import { dataKey, type Check, type CheckOutcome, type Finding } from '../../src/core/types.js';

type Deps = { log: string[] };

function finding(severity: Finding['severity'], code = 'test.code'): Finding {
  return { code, severity, title: code, detail: '', evidence: {}, fix: { text: '', commands: [] } };
}

function check(id: string, opts: Partial<Check<Deps>> & { outcome?: () => Promise<CheckOutcome> } = {}): Check<Deps> {
  return {
    id,
    title: `Check ${id}`,
    category: 'env',
    dependsOn: [],
    timeoutMs: 1000,
    codes: [],
    async run(ctx, signal) {
      ctx.deps.log.push(`start ${id}`);
      const out = opts.outcome ? await opts.outcome() : { findings: [] };
      void signal;
      ctx.deps.log.push(`end ${id}`);
      return out;
    },
    ...opts,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('engine', () => {
  it('a check runs after its `after` checks and sees their data and status, even when they failed', async () => {
    const deps: Deps = { log: [] };
    let seen: unknown;
    const results = await runChecks(
      [
        check('b', {
          after: ['a'],
          run: async (ctx) => {
            seen = [ctx.dataOf(dataKey('a')), ctx.resultOf('a')?.status, ctx.resultOf('a')?.title];
            ctx.deps.log.push('start b');
            return { findings: [] };
          },
        }),
        check('a', { outcome: async () => (await sleep(20), { findings: [finding('fail')], data: 'from a' }) }),
      ],
      { deps },
    );
    expect(deps.log.indexOf('end a')).toBeLessThan(deps.log.indexOf('start b'));
    expect(seen).toEqual(['from a', 'fail', 'Check a']);
    expect(results.map((r) => r.status)).toEqual(['pass', 'fail']);
    expect(() => validateGraph([check('x', { after: ['nope'] })])).toThrow(/unknown check nope/);
    expect(() => validateGraph([check('x', { after: ['y'] }), check('y', { dependsOn: ['x'] })])).toThrow(/cycle/);
  });

  it('runs dependencies first even when declared after their dependents', async () => {
    const deps: Deps = { log: [] };
    const results = await runChecks([check('b', { dependsOn: ['a'] }), check('a')], { deps });
    expect(deps.log.indexOf('end a')).toBeLessThan(deps.log.indexOf('start b'));
    expect(results.map((r) => r.id)).toEqual(['b', 'a']);
    expect(results.every((r) => r.status === 'pass')).toBe(true);
  });

  it('runs independent checks concurrently', async () => {
    const deps: Deps = { log: [] };
    const slow = () => sleep(100).then(() => ({ findings: [] }));
    await runChecks([check('a', { outcome: slow }), check('b', { outcome: slow })], { deps });
    expect(deps.log.slice(0, 2)).toEqual(['start a', 'start b']);
  });

  it('passes data from a dependency to its dependent', async () => {
    const seen: unknown[] = [];
    const a = check('a', { outcome: async () => ({ findings: [], data: { answer: 42 } }) });
    const b: Check<Deps> = { ...check('b'), dependsOn: ['a'], run: async (ctx) => (seen.push(ctx.dataOf(dataKey('a'))), { findings: [] }) };
    await runChecks([a, b], { deps: { log: [] } });
    expect(seen).toEqual([{ answer: 42 }]);
  });

  it('skips the dependents of a failed check, transitively, naming the reason', async () => {
    const results = await runChecks(
      [check('a', { outcome: async () => ({ findings: [finding('fail')] }) }), check('b', { dependsOn: ['a'] }), check('c', { dependsOn: ['b'] }), check('d')],
      { deps: { log: [] } },
    );
    expect(results.map((r) => [r.id, r.status])).toEqual([['a', 'fail'], ['b', 'skip'], ['c', 'skip'], ['d', 'pass']]);
    expect(results[1]?.summary).toContain('Check a did not pass');
  });

  it('lets dependents of a warning run', async () => {
    const results = await runChecks([check('a', { outcome: async () => ({ findings: [finding('warn')] }) }), check('b', { dependsOn: ['a'] })], { deps: { log: [] } });
    expect(results.map((r) => r.status)).toEqual(['warn', 'pass']);
  });

  it('turns a throwing check into an error result and goes on', async () => {
    const boom: Check<Deps> = { ...check('a'), run: async () => { throw new Error('kaboom'); } };
    const results = await runChecks([boom, check('b')], { deps: { log: [] } });
    expect(results[0]?.status).toBe('error');
    expect(results[0]?.findings[0]?.code).toBe('engine.check-crashed');
    expect(results[0]?.findings[0]?.detail).toBe('kaboom');
    expect(results[1]?.status).toBe('pass');
  });

  it('ends a check past its timeout with engine.timeout and aborts its signal', async () => {
    let aborted = false;
    const stuck: Check<Deps> = {
      ...check('a'),
      timeoutMs: 50,
      run: (_ctx, signal) => new Promise(() => signal.addEventListener('abort', () => { aborted = true; })),
    };
    const results = await runChecks([stuck, check('b', { dependsOn: ['a'] })], { deps: { log: [] } });
    expect(results[0]?.status).toBe('error');
    expect(results[0]?.findings[0]?.code).toBe('engine.timeout');
    expect(aborted).toBe(true);
    expect(results[1]?.status).toBe('skip');
  });

  it('applies an overriding timeout to every check', async () => {
    const slow = check('a', { timeoutMs: 10_000, outcome: () => sleep(500).then(() => ({ findings: [] })) });
    const results = await runChecks([slow], { deps: { log: [] }, timeoutMs: 30 });
    expect(results[0]?.findings[0]?.code).toBe('engine.timeout');
  });

  it('aborts every running check on interrupt and skips those not started', async () => {
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    const waiting = (id: string): Check<Deps> => ({ ...check(id), timeoutMs: 10_000, run: (_c, s) => (signals.push(s), new Promise(() => undefined)) });
    const run = runChecks([waiting('a'), waiting('b'), check('c', { dependsOn: ['a'] })], { deps: { log: [] }, signal: controller.signal });
    // Interrupted once both have started (c waits on a).
    await until(() => signals.length === 2);
    controller.abort(new Error('interrupted'));
    const results = await run;
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(results.map((r) => r.status)).toEqual(['error', 'error', 'skip']);
    expect(results[0]?.findings[0]?.code).toBe('engine.interrupted');
  });

  it('skips checks named in skipReasons, and their dependents', async () => {
    const deps: Deps = { log: [] };
    const results = await runChecks([check('a'), check('b', { dependsOn: ['a'] })], { deps, skipReasons: new Map([['a', 'skipped by --skip']]) });
    expect(results.map((r) => [r.status, r.summary])).toEqual([['skip', 'skipped by --skip'], ['skip', expect.stringContaining('did not pass')]]);
    expect(deps.log).toEqual([]);
  });

  it('rejects unknown dependencies, duplicates and cycles', () => {
    expect(() => validateGraph([check('a', { dependsOn: ['x'] })])).toThrow(/unknown check x/);
    expect(() => validateGraph([check('a'), check('a')])).toThrow(/duplicate/);
    expect(() => validateGraph([check('a', { dependsOn: ['b'] }), check('b', { dependsOn: ['a'] })])).toThrow(/cycle/);
  });

  it('maps summaries to exit codes', () => {
    const s = summarize([]);
    expect(exitCodeFor(s, false)).toBe(0);
    expect(exitCodeFor({ ...s, warn: 1 }, false)).toBe(0);
    expect(exitCodeFor({ ...s, warn: 1 }, true)).toBe(1);
    expect(exitCodeFor({ ...s, fail: 1 }, false)).toBe(1);
    expect(exitCodeFor({ ...s, error: 1 }, false)).toBe(1);
    expect(exitCodeFor(s, false, true)).toBe(130);
  });
});

describe('engine: not-applicable skips', () => {
  it('lets dependents of a check that skipped itself run, but not those of an engine skip', async () => {
    const notApplicable = check('a', { outcome: async () => ({ findings: [], skipped: 'not a session profile' }) });
    const results = await runChecks([notApplicable, check('b', { dependsOn: ['a'] })], { deps: { log: [] } });
    expect(results.map((r) => [r.status, r.summary])).toEqual([['skip', 'not a session profile'], ['pass', '']]);
  });
});
