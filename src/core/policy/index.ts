// Pure policy and dynamic-group logic (no I/O), shared by the policy check and
// the simulated tenancy.
export type * from './types.js';
export { VERBS } from './types.js';
export { parseStatement, DEFAULT_DOMAIN } from './statement.js';
export {
  parseMatchingRule,
  matchingRuleMatches,
  dynamicGroupsOf,
  principalVariables,
  MAX_DYNAMIC_GROUPS_PER_INSTANCE,
} from './matching-rule.js';
export type { PrincipalAttributes, RuleFailure, RuleMatch, DynamicGroupMembership } from './matching-rule.js';
export { evaluate, compilePolicies, prepareRequest, requestVariables } from './evaluate.js';
export type { CompiledPolicies, CompiledStatement, PreparedRequest } from './evaluate.js';
export { explainDecision, principalText, subjectText } from './explain.js';
export { CompartmentTree } from './compartments.js';
export { VariableSet, conditionText, MAX_CONDITION_DEPTH } from './condition.js';
export { compilePattern, patternMatches } from './pattern.js';
export {
  parsePolicyExport,
  parseDynamicGroupExport,
  parseStatementFile,
  parsePolicyFile,
} from './export-file.js';
export type { FileDiagnostic, PolicyFile, DynamicGroupFile, StatementFileOptions } from './export-file.js';
export { FAMILIES, PERMISSIONS, typeCovers, permissionsOf, verbForPermission } from './vocabulary.js';
export { generateBenchCorpus, runPolicyBench, seededRandom } from './bench-fixture.js';
export type { BenchCorpus, BenchCorpusOptions, BenchResult } from './bench-fixture.js';
