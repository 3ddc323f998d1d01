// The README of an Autonomous Database wallet states when its certificates
// expire, in a line such as
//   The SSL certificates provided in this wallet will expire on 2023-03-19 21:43:22.0 UTC.
// Wording, spacing, the fraction and the zone have varied; this reads them all
// and says so when it finds no date rather than guessing one.

export interface WalletReadme {
  /** When the wallet's certificates expire, if the README says. */
  expiresAt?: Date;
  /** The README line the expiry came from, trimmed. */
  expiryLine?: string;
  /** When the wallet was downloaded, if the README says. */
  downloadedAt?: Date;
  /** Why no expiry was read, when none was. */
  problem?: string;
}

// 2023-03-19 21:43:22.0 UTC | 2023/03/19 21:43 | 2023-03-19T21:43:22Z | 2023-03-19
const DATE_TIME = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(UTC|GMT|Z|[+-]\d{2}:?\d{2})?/i;

export function parseWalletReadme(text: string): WalletReadme {
  const out: WalletReadme = {};
  const lines = text.split(/\r\n|\r|\n/);
  for (const raw of lines) {
    const line = raw.trim();
    if (out.expiresAt === undefined && /\bexpir(e|es|y|ation)\b/i.test(line)) {
      const at = dateIn(line);
      if (at) {
        out.expiresAt = at;
        out.expiryLine = line;
      }
    }
    if (out.downloadedAt === undefined && /\bdownloaded\b/i.test(line)) {
      const at = dateIn(line);
      if (at) out.downloadedAt = at;
    }
  }
  if (out.expiresAt === undefined) {
    out.problem = lines.some((l) => /\bexpir/i.test(l)) ? 'the README mentions an expiry but no date this tool can read' : 'the README has no expiry line';
  }
  return out;
}

function dateIn(line: string): Date | undefined {
  const m = DATE_TIME.exec(line);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  // Oracle writes UTC; an explicit offset is honoured, a missing zone taken as UTC.
  if (zone && /^[+-]/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
