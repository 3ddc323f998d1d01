// Big inputs: a 50 MB OCI config, a 100,000-statement policy export and a
// 10,000-certificate bundle. Each is refused or read with a clear message,
// in bounded time and memory (resident set growth, measured generously:
// the point is "not proportional to a runaway", not a tight budget).
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES } from '../../src/core/oci-profile.js';
import { parseCertificateBundle } from '../../src/core/pem.js';
import { generateBenchCorpus } from '../../src/core/policy/bench-fixture.js';
import { evaluate } from '../../src/core/policy/evaluate.js';
import { parsePolicyExport } from '../../src/core/policy/export-file.js';
import { makeCert } from '../helpers/certs.js';
import { runCli } from '../helpers/cli.js';
import { fakeSystem, tempDir } from '../helpers/deps.js';
import type { JsonReport } from '../../src/core/report/json.js';

const MB = 1024 * 1024;
const dir = tempDir('dbiam-doctor-big-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `total` bytes by repeating `chunk`, without holding the whole file in memory. */
function writeRepeated(path: string, chunk: string, total: number): number {
  const buf = Buffer.from(chunk);
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    while (written < total) written += writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
  return written;
}

async function measured<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number; rssGrowthMb: number }> {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0, rssGrowthMb: (process.memoryUsage().rss - rss0) / MB };
}

type Doc = JsonReport;

async function doctor(home: string, argv: string[], env: Record<string, string> = {}): Promise<Doc> {
  const out = await runCli(['--format', 'json', ...argv], { env: { HOME: home, ...env }, cwd: home, system: fakeSystem({ homeDir: home }), now: () => new Date() });
  return JSON.parse(out.stdout) as Doc;
}

describe('big inputs', () => {
  it('a 50 MB OCI config is refused by its size, with the size and the limit in the finding, without reading it', async () => {
    const home = join(dir, 'home-config');
    mkdirSync(join(home, '.oci'), { recursive: true });
    const line = '[DEFAULT]\nregion=us-ashburn-1\n# padding padding padding padding padding padding padding padding\n';
    const size = writeRepeated(join(home, '.oci', 'config'), line.repeat(1000), 50 * MB);
    const { value: doc, ms, rssGrowthMb } = await measured(() => doctor(home, ['--only', 'profile']));
    // Without a readable config no auth mode is found; the finding says why the file was not used.
    const none = doc.checks.find((c) => c.id === 'auth.mode')?.findings.find((f) => f.code === 'auth.mode-undetermined');
    expect(none?.evidence?.configFile).toBe(`${join(home, '.oci', 'config')} (unreadable: file is ${size} bytes, more than the ${MAX_CONFIG_BYTES} this check reads)`);
    expect(ms).toBeLessThan(10_000);
    expect(rssGrowthMb).toBeLessThan(40); // the 50 MB are never read
    // With the auth mode given, the config check itself names the problem.
    const explicit = await doctor(home, ['--only', 'profile', '--auth', 'api_key']);
    const config = explicit.checks.find((c) => c.id === 'profile.config');
    expect(config?.findings.map((f) => f.code)).toEqual(['config.parse-error']);
    expect(config?.findings[0]?.title).toContain(`file is ${size} bytes, more than the ${MAX_CONFIG_BYTES} this check reads`);
  });

  it('a config just under the size limit, with more lines than the parser reads, is read with a clear diagnostic', async () => {
    const home = join(dir, 'home-lines');
    mkdirSync(join(home, '.oci'), { recursive: true });
    writeRepeated(join(home, '.oci', 'config'), '[DEFAULT]\nregion=us-ashburn-1\n'.concat('#\n'.repeat(998)), MAX_CONFIG_BYTES - 4096);
    const { value: doc, ms, rssGrowthMb } = await measured(() => doctor(home, ['--only', 'profile']));
    expect(JSON.stringify(doc.checks.find((c) => c.id === 'profile.config'))).toMatch(/only the first 200000 were read/);
    expect(ms).toBeLessThan(10_000);
    expect(rssGrowthMb).toBeLessThan(200);
  });

  it('a 100,000-statement policy export parses and evaluates in bounded time and memory', async () => {
    const corpus = generateBenchCorpus({ policies: 10_000, statementsPerPolicy: 10 });
    let exportText: string | undefined = JSON.stringify({
      data: corpus.policies.map((p) => ({ id: p.id, name: p.name, 'compartment-id': p.compartmentId, 'lifecycle-state': 'ACTIVE', statements: p.statements })),
    });
    expect(exportText.length).toBeGreaterThan(5 * MB);
    const { value, ms, rssGrowthMb } = await measured(() => {
      const file = parsePolicyExport(exportText ?? '');
      return { file, decision: evaluate(corpus.request, file.policies, corpus.context) };
    });
    exportText = undefined;
    expect(value.file.diagnostics).toEqual([]);
    expect(value.file.policies.reduce((n, p) => n + p.statements.length, 0)).toBe(100_000);
    expect(value.decision.decision).toBe(corpus.expected);
    expect(ms).toBeLessThan(15_000);
    expect(rssGrowthMb).toBeLessThan(600);
  });

  describe('a 10,000-certificate bundle', () => {
    const cert = makeCert({ commonName: 'big-bundle.example.com', isCA: true }).certPem.trim();

    it('parses in bounded time and memory', async () => {
      const bundle = `${cert}\n`.repeat(10_000);
      const { value, rssGrowthMb } = await measured(() => parseCertificateBundle(bundle));
      expect(value.certificates).toHaveLength(10_000);
      expect(value.unreadable).toEqual([]);
      expect(rssGrowthMb).toBeLessThan(400);
      // Line numbering was once quadratic here (23 s). Wall-clock limits fail on a
      // loaded machine, so compare 4,000 certificates with 1,000 parsed just
      // before and after: linear work is ~4x, quadratic ~16x. Best of three each.
      const best = async (count: number): Promise<number> => {
        const text = `${cert}\n`.repeat(count);
        let min = Number.POSITIVE_INFINITY;
        for (let i = 0; i < 3; i++) min = Math.min(min, (await measured(() => parseCertificateBundle(text))).ms);
        return min;
      };
      const small = await best(1_000);
      const large = await best(4_000);
      expect(large / Math.max(small, 1)).toBeLessThan(9);
    });

    it('as NODE_EXTRA_CA_CERTS: the doctor counts it', async () => {
      const path = join(dir, 'bundle-10k.pem');
      writeFileSync(path, `${cert}\n`.repeat(10_000));
      const doc = await doctor(dir, ['--only', 'env.extra-ca'], { NODE_EXTRA_CA_CERTS: path });
      expect(doc.checks.find((c) => c.id === 'env.extra-ca')?.summary).toMatch(/^10000 certificate\(s\) from /);
    });

    it('as NODE_EXTRA_CA_CERTS over the 16 MB cap: refused, saying its size and the limit', async () => {
      const path = join(dir, 'bundle-huge.pem');
      const size = writeRepeated(path, `${cert}\n`.repeat(100), 17 * MB);
      const { value: doc, rssGrowthMb } = await measured(() => doctor(dir, ['--only', 'env.extra-ca'], { NODE_EXTRA_CA_CERTS: path }));
      const check = doc.checks.find((c) => c.id === 'env.extra-ca');
      expect(check?.findings.map((f) => f.code)).toEqual(['env.extra-ca-unreadable']);
      expect(check?.findings[0]?.title).toContain(`file is ${size} bytes, more than the ${16 * MB}`);
      expect(rssGrowthMb).toBeLessThan(40);
    });
  });
});
