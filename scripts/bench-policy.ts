// Policy benchmark (npm run bench): 10,000 policies holding 100,000
// statements parsed and one request evaluated; targets ≤ 1 s and ≤ 300 MB
// peak memory on these 2-core machines. Run with tsx: the corpus generator
// is not part of the published bundle.
import { runPolicyBench } from '../src/core/policy/index.js';

const TARGET_MS = 1000;
const TARGET_MB = 300;
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const r = runPolicyBench({});
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(sampler);
const mb = peak / 1024 / 1024;
const ok = r.totalMs <= TARGET_MS && mb <= TARGET_MB;
console.log(`\npolicy engine: ${r.policies} policies, ${r.statements} statements`);
console.log(`  parse ${r.parseMs.toFixed(0)} ms + evaluate ${r.evaluateMs.toFixed(0)} ms = ${r.totalMs.toFixed(0)} ms (target ≤ ${TARGET_MS} ms), peak RSS ${mb.toFixed(0)} MB (target ≤ ${TARGET_MB} MB) → ${ok ? 'PASS' : 'FAIL'}`);
