// `dbiam-doctor checks` and docs/findings.md: both drawn from the catalogue.
import { allCodes } from '../../checks/catalogue.js';
import type { DoctorCheck } from '../../checks/deps.js';
import { waitsFor } from '../../core/engine.js';

export function renderChecksText(checks: readonly DoctorCheck[]): string {
  const lines: string[] = [];
  for (const c of checks) {
    const deps = waitsFor(c).length > 0 ? ` (after ${waitsFor(c).join(', ')})` : '';
    lines.push(`${c.id}  [${c.category}]  ${c.title}${deps}`);
    for (const s of c.codes) lines.push(`    ${s.severity.padEnd(5)} ${s.code}  ${s.meaning}`);
  }
  lines.push('', 'engine');
  for (const e of allCodes([])) lines.push(`    ${e.spec.severity.padEnd(5)} ${e.spec.code}  ${e.spec.meaning}`);
  return `${lines.join('\n')}\n`;
}

export function renderChecksJson(checks: readonly DoctorCheck[]): string {
  const doc = {
    checks: checks.map((c) => ({ id: c.id, title: c.title, category: c.category, dependsOn: c.dependsOn, after: c.after ?? [], timeoutMs: c.timeoutMs, needsOciApi: c.needsOciApi === true, codes: c.codes })),
    engineCodes: allCodes([]).map((e) => e.spec),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** docs/findings.md: one section per code, like a linter's rule pages. */
export function renderFindingsDoc(checks: readonly DoctorCheck[]): string {
  const out = [
    '# Finding codes',
    '',
    '<!-- Generated from the check catalogue by `npm run docs`; do not edit by hand. -->',
    '',
    'Every finding the doctor reports carries one of these codes. Codes are stable: scripts and tickets may rely on them.',
    '',
    '| Code | Severity | Check |',
    '|---|---|---|',
  ];
  const entries = allCodes(checks);
  for (const e of entries) out.push(`| [\`${e.spec.code}\`](#${e.spec.code.replace(/\./g, '')}) | ${e.spec.severity} | ${e.owner} |`);
  out.push('');
  for (const e of entries) {
    out.push(`## ${e.spec.code}`, '', `**Severity:** ${e.spec.severity} · **Reported by:** \`${e.owner}\``, '', e.spec.meaning, '', `**Fix:** ${e.spec.fix}`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
