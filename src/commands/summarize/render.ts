// A fleet summary as a Markdown table (also the plain-text output: it reads
// as text) and as JSON.
import type { FleetSummary, LinkState } from '../../core/fleet.js';
import { cell, code, prose } from '../../core/report/markdown-syntax.js';

const MARK: Record<LinkState, string> = { pass: 'pass', warn: 'WARN', fail: 'FAIL', error: 'ERROR', skip: '–', absent: 'n/a' };

/** Long host lists are cut in tables; the JSON holds them all. */
function hostList(hosts: string[], max = 8): string {
  return hosts.length <= max ? hosts.join(', ') : `${hosts.slice(0, max).join(', ')} and ${hosts.length - max} more`;
}

export function renderFleetMarkdown(s: FleetSummary): string {
  const total = s.hosts.length;
  const broken = total - s.healthy.length;
  const out = ['## dbiam-doctor fleet summary', '', `${total} host${total === 1 ? '' : 's'}: ${s.healthy.length} with every link holding, ${broken} with a broken link.`, ''];
  out.push('### Findings, most shared first', '');
  if (s.findings.length === 0) out.push('No host reports a problem.', '');
  else {
    out.push('| finding | link | hosts | which |', '| --- | --- | --- | --- |');
    for (const f of s.findings) out.push(`| ${code(f.code)} ${cell(f.title)} | ${cell(f.link)} | ${f.hosts.length}/${total} | ${cell(hostList(f.hosts))} |`);
    out.push('');
  }
  out.push('### Hosts that differ from the majority', '');
  if (s.outliers.length === 0) out.push('Every host sees the same on every link.', '');
  else for (const o of s.outliers) out.push(`- ${prose(o.host)}: ${prose(o.differs.map((d) => `${d.link} ${MARK[d.state]} (most: ${MARK[d.majority]})`).join('; '))}`);
  if (s.outliers.length) out.push('');
  out.push('### Hosts by link', '');
  out.push(`| host | auth | first broken | ${s.links.map(cell).join(' | ')} |`, `| --- | --- | --- | ${s.links.map(() => '---').join(' | ')} |`);
  out.push(`| *most hosts* | | | ${s.links.map((l) => MARK[s.majority[l] as LinkState]).join(' | ')} |`);
  for (const h of s.hosts) {
    const row = s.links.map((l) => {
      const state = h.links[l] as LinkState;
      return state === s.majority[l] ? MARK[state] : `**${MARK[state]}**`;
    });
    out.push(`| ${cell(h.host)}${h.interrupted ? ' (interrupted)' : ''} | ${cell(h.authMode ?? '')} | ${h.firstBroken ? code(h.firstBroken) : ''} | ${row.join(' | ')} |`);
  }
  out.push('', 'pass: every check that ran passed; FAIL / ERROR / WARN: the worst check of the link; –: not run (not applicable or blocked); **bold**: differs from most hosts.', '');
  return out.join('\n');
}

export function renderFleetJson(s: FleetSummary): string {
  return `${JSON.stringify({ hosts: s.hosts.length, healthy: s.healthy, links: s.links, majority: s.majority, findings: s.findings, outliers: s.outliers, rows: s.hosts }, null, 2)}\n`;
}
