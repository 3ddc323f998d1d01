// `explain` output in every format. Explanations become the same panels the
// doctor's reports draw, so a pasted error reads like a live finding.
import type { DoctorCheck } from '../../checks/deps.js';
import { allCodes } from '../../checks/catalogue.js';
import type { Explanation } from '../../core/explain/index.js';
import type { Redactor } from '../../core/redact.js';
import { textHeader, textPanel } from '../../core/report/text.js';
import { MARKERS, type EvidenceLine, type Panel } from '../../core/view-model.js';
import { cell, fenced, prose } from '../../core/report/markdown-syntax.js';

/** A pasted line can be long; evidence shows its start (after redaction, so no secret is cut in half and missed). */
const MAX_EVIDENCE = 300;

export interface ExplainView {
  tool: { name: string; version: string };
  inputLength: number;
  clients: string[];
  summaryLine: string;
  panels: Panel[];
  explanations: Explanation[];
  /** Finding code → the check that reports it live (id and title). */
  owners: Map<string, { id: string; title: string }>;
}

function clip(text: string): string {
  return text.length > MAX_EVIDENCE ? `${text.slice(0, MAX_EVIDENCE)}…` : text;
}

/** Which check reports each code in a live run; codes of checks not in this build fall back to their area. */
export function ownersOf(checks: readonly DoctorCheck[]): Map<string, { id: string; title: string }> {
  const titles = new Map(checks.map((c) => [c.id, c.title]));
  return new Map(allCodes(checks).map((e) => [e.spec.code, { id: e.owner, title: titles.get(e.owner) ?? e.owner }]));
}

function ownerTitle(code: string, owners: ExplainView['owners']): string {
  const o = owners.get(code);
  if (o) return o.title;
  if (code.startsWith('explain.')) return 'explain';
  return `${code.split('.')[0] ?? code} checks`;
}

export function buildView(input: { tool: ExplainView['tool']; text: string; clients: string[]; explanations: Explanation[]; owners: ExplainView['owners'] }, redactor: Redactor): ExplainView {
  const { explanations, owners } = input;
  const unknown = explanations.filter((e) => e.code === 'explain.unknown-error').length;
  const known = explanations.length - unknown;
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const summaryLine = unknown === 0 ? `${plural(known, 'problem', 'problems')} recognised` : `${plural(known, 'problem', 'problems')} recognised, ${plural(unknown, 'error', 'errors')} not recognised`;
  const panels: Panel[] = explanations.map((e, n) => {
    const evidence: EvidenceLine[] = [{ label: 'recognised', value: e.recognised }];
    for (const [label, value] of Object.entries(e.evidence)) evidence.push({ label, value });
    // Several causes: each on its own line, most likely first, with the look that tells it apart.
    if (e.causes.length > 1) e.causes.forEach((c, i) => evidence.push({ label: `cause ${i + 1}`, value: `${c.code}: ${c.why} — tell: ${c.tell}` }));
    const notRanked = e.related.filter((r) => !e.causes.some((c) => c.code === r));
    if (notRanked.length > 0) evidence.push({ label: 'may also be', value: notRanked.join(', ') });
    return {
      key: `explain/${e.code}/${n}`,
      status: e.severity,
      code: e.code,
      title: redactor.redact(e.confidence === 'ranked' && e.causes.length > 1 ? `${e.title} — ${e.causes.length} possible causes, most likely first` : e.title),
      checkTitle: ownerTitle(e.code, owners),
      detail: redactor.redact(e.cause),
      // Only pasted text is clipped; the ranked causes are the explainer's own words.
      evidence: evidence.map((l) => ({ label: redactor.redact(l.label), value: /^cause \d+$/.test(l.label) ? redactor.redact(l.value) : clip(redactor.redact(l.value)) })),
      fixText: redactor.redact(e.fixText),
      commands: e.commands.map((c) => redactor.redact(c)),
      inspect: [],
    };
  });
  return { tool: input.tool, inputLength: input.text.length, clients: input.clients, summaryLine, panels, explanations, owners };
}

function inputLine(view: ExplainView): string {
  return `${view.inputLength} chars${view.clients.length > 0 ? ` from ${view.clients.join(', ')}` : ''}`;
}

export function renderExplainText(view: ExplainView): string {
  const header = textHeader(view.tool, [{ label: 'pasted error', value: inputLine(view) }]);
  return `${header}\n${view.summaryLine}\n${view.panels.map((p) => `\n${textPanel(p)}`).join('\n')}\n`;
}

export function renderExplainMarkdown(view: ExplainView): string {
  const out = [`# ${view.tool.name}: pasted error explained`, '', `**${view.summaryLine}** · ${prose(inputLine(view))} · ${view.tool.name} ${view.tool.version}`, ''];
  for (const p of view.panels) {
    out.push(`## ${MARKERS[p.status]} ${prose(p.title)}`, '');
    out.push(`${p.status.toUpperCase()} · \`${p.code}\` · reported live by: ${prose(p.checkTitle)}`, '');
    out.push(prose(p.detail), '');
    out.push(`**Fix:** ${prose(p.fixText)}`, '');
    if (p.commands.length > 0) out.push(fenced(p.commands), '');
    out.push('<details><summary>Evidence</summary>', '', '| | |', '|---|---|');
    for (const e of p.evidence) out.push(`| ${cell(e.label)} | ${cell(e.value)} |`);
    out.push('', '</details>', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function renderExplainJson(view: ExplainView, redactor: Redactor): string {
  const doc = {
    input: { length: view.inputLength, clients: view.clients },
    recognised: view.explanations.every((e) => e.code !== 'explain.unknown-error'),
    // The doctor's finding shape (code, severity, title, detail, fix, evidence), plus what only a paste has.
    explanations: view.explanations.map((e) => ({
      code: e.code,
      severity: e.severity,
      title: e.title,
      detail: e.cause,
      fix: { text: e.fixText, commands: e.commands },
      evidence: Object.fromEntries(Object.entries(e.evidence).map(([k, v]) => [k, clip(redactor.redact(v))])),
      confidence: e.confidence,
      causes: e.causes,
      recognised: e.recognised,
      errors: e.errors,
      related: e.related,
      check: view.owners.get(e.code)?.id ?? null,
    })),
  };
  return `${JSON.stringify(redactor.redactValue(doc), null, 2)}\n`;
}
