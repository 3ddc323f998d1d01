// The vocabulary of the error explainer: what it reads out of pasted text
// (signals and facts), the rules of its table, and what it answers.
import type { FindingSpec } from '../types.js';
import { EXPLAIN_SPECS } from './codes.js';
import type { ClientName } from './known-bugs.js';

/** The explainer's own code: text it could not explain (or only partly). */
export const EXPLAIN_UNKNOWN_ERROR: FindingSpec = EXPLAIN_SPECS.unknownError;

/** One possible cause of an error, with the one command or look that tells it apart from the others. */
export interface RankedCause {
  code: string;
  /** Why this cause fits, in one sentence. */
  why: string;
  /** The command to run or the thing to look at that confirms or rules it out. */
  tell: string;
}

export interface Explanation {
  /** The finding code a live run reports for the same problem. */
  code: string;
  severity: 'warn' | 'fail';
  /** One line, naming what is wrong. */
  title: string;
  /** What the error means on this path; several causes are listed most likely first. */
  cause: string;
  fixText: string;
  /** Commands to run, each copyable on its own line. */
  commands: string[];
  /** What was recognised, e.g. `NJS-506 → unable to get local issuer certificate`. */
  recognised: string;
  /** The error codes in the text this explanation accounts for (NJS-506, ORA-12506, OCI 404…). */
  errors: string[];
  /** Other finding codes that may be the real cause: from the run's context, or because the error is ambiguous. */
  related: string[];
  /** Facts read from the text: host, port, service, opc-request-id… */
  evidence: Record<string, string>;
  /** The causes this error can have, most likely first (the first is `code`); one entry when the error decides it. */
  causes: RankedCause[];
  /** `certain` when the text decides the cause; `ranked` when it leaves several open (never stated as fact). */
  confidence: 'certain' | 'ranked';
}

/** What a live run knows about its own connection: it picks among an error's causes. */
export interface RunFacts {
  /** A wallet (walletLocation, walletContent, WALLET_LOCATION) was given to the driver. */
  walletGiven?: boolean;
  /** The port the connection went to. */
  port?: number;
  /** The run's TLS handshake showed whether the server asks for a client certificate (a server that never asks cannot require mutual TLS). */
  clientCertRequested?: boolean;
  /** Client versions installed or in use. */
  versions?: Partial<Record<ClientName, string>>;
}

export interface ExplainContext {
  /** Codes already found in this run: they decide which cause of an ambiguous error (ORA-01017) is meant. */
  foundCodes?: readonly string[];
  /** The run's own facts (wallet, port, versions): they rank the causes of an ambiguous error. */
  run?: RunFacts;
  /** The catalogue's specs by code: the one owner of every fix text. Without it the rules' own words are used. */
  specs?: ReadonlyMap<string, FindingSpec>;
}

/** Something recognised in the text: an error code, a known cause phrase, an OCI status. */
export interface Signal {
  /** `NJS-506`, `ORA-12506`, `tls:untrusted-root`, `oci:status:404`, `oci:op:db-token`… */
  key: string;
  /** Offset in the normalised text, for ordering. */
  index: number;
  /** 0-based line number. */
  lineNo: number;
  /** What matched, as written, for the `recognised` line. */
  text: string;
  /** The line it sits on, trimmed. */
  line: string;
  /** Error codes and OCI statuses: when nothing explains them they are reported as unknown. */
  isError: boolean;
}

/** Values read from the text that fixes and titles quote. */
export interface Facts {
  host?: string;
  port?: string;
  service?: string;
  sid?: string;
  /** NJS-510: which timeout and how long. */
  timeoutName?: string;
  timeoutSeconds?: string;
  /** The name the certificate lacks (NJS-508, DPY-6006). */
  certName?: string;
  /** The DN the client expected (DPY-6002). */
  expectedDn?: string;
  /** A file the error says is missing (ENOENT). */
  missingFile?: string;
  /** The database user named by ORA-01045. */
  dbUser?: string;
  /** Client versions named in the text (node_modules/.pnpm/oracledb@6.8.0, oracledb.__version__: 3.1.0…). */
  versions?: Partial<Record<ClientName, string>>;
  /** (PROTOCOL=TCP|TCPS) of the descriptor, or tcps:// of Easy Connect. */
  protocol?: string;
  /** The root cause a wrapper chain ends with: the last `Caused by:` of Java, the last exception line of a Python traceback. */
  rootCause?: string;
  /** The lines after NJS-506 / NJS-505 / DPY-6005: the real cause. */
  causeLine?: string;
  /** getaddrinfo ENOTFOUND <host>. */
  unresolvedHost?: string;
  opcRequestId?: string;
  operation?: string;
  targetService?: string;
  endpoint?: string;
  status?: string;
  serviceCode?: string;
}

export interface RuleMatch {
  /** Every signal of the text, by key. */
  signals: ReadonlyMap<string, readonly Signal[]>;
  has(key: string): boolean;
  facts: Facts;
  context: ExplainContext;
  text: string;
}

/** What a rule answers; the explainer adds `recognised` and `errors`. */
export interface RuleAnswer {
  code: string;
  severity?: 'warn' | 'fail';
  title: string;
  cause: string;
  /** Only for a fix the catalogue cannot know (this exact release, this file); otherwise the spec's fix is used. */
  fixText?: string;
  /** Several causes, most likely first; the first must be `code`. */
  causes?: RankedCause[];
  commands?: string[];
  related?: string[];
  evidence?: Record<string, string>;
}

export interface ExplainRule {
  id: string;
  /** Signals that must all be present. */
  when?: string[];
  /** At least one of these must be present. */
  whenAny?: string[];
  /** Signals that must be present as context but are not accounted for by this rule. */
  needs?: string[];
  /** At least one of these must be present as context (not accounted for by this rule). */
  needsAny?: string[];
  /** Signals that stop the rule. */
  unless?: string[];
  /** Wrappers this explanation also accounts for, when present (NJS-506 around NJS-508…). */
  wraps?: string[];
  /** Every finding code this rule may answer with, `related` included: a test holds them to the catalogue. */
  emits: string[];
  explain(m: RuleMatch): RuleAnswer;
}
