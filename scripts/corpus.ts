// npm run corpus: scores `explain` against the corpus of real pasted errors
// (test/corpus/errors) and fails when the right-cause rate drops below the
// committed figure (test/corpus/figure.json) or an unresolved case is
// answered with confidence.
import { readFileSync } from 'node:fs';
import { catalogueSpecs, loadCorpus, renderReport, rightRate, scoreEntry, tally } from '../test/corpus/score.js';

const figure = JSON.parse(readFileSync(new URL('../test/corpus/figure.json', import.meta.url), 'utf8')) as { minRightRate: number };
const specs = catalogueSpecs();
const scored = loadCorpus().map((e) => scoreEntry(e, specs));
process.stdout.write(renderReport(scored));
const t = tally(scored);
const rate = rightRate(t);
const failures: string[] = [];
if (rate < figure.minRightRate) failures.push(`right-cause rate ${rate} % is below the committed ${figure.minRightRate} %`);
if (t.confidentOnUnresolved > 0) failures.push(`${t.confidentOnUnresolved} unresolved case(s) answered with confidence`);
if (failures.length > 0) {
  process.stderr.write(`corpus: FAIL: ${failures.join('; ')}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(`corpus: ok (${rate} % right, committed minimum ${figure.minRightRate} %)\n`);
}
