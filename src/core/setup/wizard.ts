// The setup wizard as a pure state machine: a key (or the outcome of a save)
// and the state before it give the state after it and the effects to run
// (copy, save, finish). The Ink component only feeds it keys and draws the
// state, so keys that arrive together (a paste, auto-repeat, SSH) are applied
// one after another to the latest state and none is lost.
import { answersProblems, validateAnswers, type SetupAnswers } from './answers.js';
import { buildArtifacts, type Artifact } from './artifacts.js';
import { answersFrom, fieldValue, initialValues, stepOfField, stepsFor, type Detected, type Field, type Step, type Values } from './wizard-steps.js';

export type WizardPhase = { kind: 'ask' } | { kind: 'review'; answers: SetupAnswers; artifacts: Artifact[] };

export interface WizardState {
  values: Values;
  stepIndex: number;
  fieldIndex: number;
  /** What is wrong with the step the user tried to leave: every problem at once, each under its field. */
  problems: { field: string; message: string }[];
  phase: WizardPhase;
  /** The artifact selected in review. */
  selected: number;
  /** Lines under the artifacts: what copy or save did. */
  notice: string[];
  saved: boolean;
  /** Left (q, or d after a save): every later key is ignored. */
  done: boolean;
}

/** The keys the wizard reacts to, as Ink reports them. */
export interface WizardKey {
  return?: boolean;
  escape?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

export type WizardAction =
  | { type: 'key'; input: string; key: WizardKey }
  | { type: 'saved'; lines: string[] }
  | { type: 'save-failed'; message: string };

export type WizardEffect =
  | { kind: 'copy'; text: string }
  | { kind: 'save'; answers: SetupAnswers; artifacts: Artifact[] }
  | { kind: 'finish'; runDoctor: boolean; saved: boolean };

export interface WizardContext {
  detected: Detected;
  outDir: string;
}

export function initialWizardState(detected: Detected): WizardState {
  return { values: initialValues(detected), stepIndex: 0, fieldIndex: 0, problems: [], phase: { kind: 'ask' }, selected: 0, notice: [], saved: false, done: false };
}

/** The step and field the cursor is on (indexes clamped to what the answers so far make exist). */
export function currentStep(state: WizardState, detected: Detected): { steps: Step[]; step: Step; field: Field } {
  const steps = stepsFor(state.values, detected);
  const step = steps[Math.min(state.stepIndex, steps.length - 1)] as Step;
  const field = step.fields[Math.min(state.fieldIndex, step.fields.length - 1)] as Field;
  return { steps, step, field };
}

type Result = { state: WizardState; effects: WizardEffect[] };
const only = (state: WizardState): Result => ({ state, effects: [] });

export function reduceWizard(state: WizardState, action: WizardAction, ctx: WizardContext): Result {
  if (action.type === 'saved') return only({ ...state, saved: true, notice: [...action.lines, 'Press d to run the doctor against this setup, q to leave.'] });
  if (action.type === 'save-failed') return only({ ...state, notice: [`Could not save to ${ctx.outDir}: ${action.message}`] });
  // Keys that arrived together (a paste with Enter in it, auto-repeat, SSH) reach us as one
  // string: each is applied in turn to the state the one before left.
  let result: Result = { state, effects: [] };
  for (const k of splitKeys(action.input, action.key)) {
    if (result.state.done) break;
    const next = result.state.phase.kind === 'review' ? reviewKey(result.state, result.state.phase, k.input, k.key, ctx) : askKey(result.state, k.input, k.key, ctx);
    result = { state: next.state, effects: [...result.effects, ...next.effects] };
  }
  return result;
}

const NO_FLAGS = (key: WizardKey): boolean => !Object.values(key).some((v) => v === true);

/** One key, or — for a run of characters Ink reported as one input — each control key in it and the text between. */
export function splitKeys(input: string, key: WizardKey): { input: string; key: WizardKey }[] {
  if (input.length <= 1 || !NO_FLAGS(key)) return [{ input, key }];
  const out: { input: string; key: WizardKey }[] = [];
  let text = '';
  const flush = (): void => {
    if (text) out.push({ input: text, key: {} });
    text = '';
  };
  for (const c of input) {
    const control: WizardKey | undefined =
      c === '\r' || c === '\n' ? { return: true } : c === '\t' ? { tab: true } : c === '\u007f' || c === '\b' ? { backspace: true } : c === '\u0015' ? { ctrl: true } : undefined;
    if (control) {
      flush();
      out.push({ input: c === '\u0015' ? 'u' : '', key: control });
    } else text += c;
  }
  flush();
  return out;
}

function reviewKey(state: WizardState, phase: Extract<WizardPhase, { kind: 'review' }>, input: string, key: WizardKey, ctx: WizardContext): Result {
  const count = phase.artifacts.length;
  const artifact = phase.artifacts[state.selected];
  if (key.escape) return only({ ...state, phase: { kind: 'ask' } });
  if (key.downArrow || key.rightArrow || key.tab) return only({ ...state, selected: (state.selected + 1) % count });
  if (key.upArrow || key.leftArrow) return only({ ...state, selected: (state.selected + count - 1) % count });
  if (input === 'c' && artifact) return { state: { ...state, notice: [`Copied ${artifact.file} (${artifact.content.length} characters).`] }, effects: [{ kind: 'copy', text: artifact.content }] };
  if (input === 's') return { state: { ...state, notice: [`Saving to ${ctx.outDir}…`] }, effects: [{ kind: 'save', answers: phase.answers, artifacts: phase.artifacts }] };
  if (input === 'd') {
    if (!state.saved) return only({ ...state, notice: ['Save first (s): the doctor reads the dbiam-doctor.json that setup writes.'] });
    return { state: { ...state, done: true }, effects: [{ kind: 'finish', runDoctor: true, saved: true }] };
  }
  if (input === 'q') return { state: { ...state, done: true }, effects: [{ kind: 'finish', runDoctor: false, saved: state.saved }] };
  return only(state);
}

function askKey(state: WizardState, input: string, key: WizardKey, ctx: WizardContext): Result {
  const { steps, step, field } = currentStep(state, ctx.detected);
  const fieldIndex = Math.min(state.fieldIndex, step.fields.length - 1);
  if (key.return) return only(forward(state, steps, step, ctx.detected));
  if (key.escape) {
    // Esc on the first step leaves the wizard, as it would leave any other screen.
    if (state.stepIndex === 0) return { state: { ...state, done: true }, effects: [{ kind: 'finish', runDoctor: false, saved: false }] };
    return only({ ...state, problems: [], stepIndex: state.stepIndex - 1, fieldIndex: 0 });
  }
  const current = fieldValue(state.values, field);
  const set = (value: string): Result =>
    only({ ...state, values: { ...state.values, [field.key]: value }, problems: state.problems.filter((p) => p.field !== field.key) });
  // ↑/↓ move through a list's options, and past its ends to the field before or after.
  if (field.kind === 'choice' && (key.upArrow || key.downArrow)) {
    const at = Math.max(0, field.options.indexOf(current));
    const to = at + (key.downArrow ? 1 : -1);
    if (to >= 0 && to < field.options.length) return set(field.options[to] as string);
  }
  if (key.upArrow) return only({ ...state, fieldIndex: Math.max(0, fieldIndex - 1) });
  if (key.downArrow || key.tab) return only({ ...state, fieldIndex: Math.min(step.fields.length - 1, fieldIndex + 1) });
  if (field.kind === 'choice') {
    if (!key.leftArrow && !key.rightArrow) return only(state);
    const options = field.options;
    const at = Math.max(0, options.indexOf(current));
    return set(options[(at + (key.rightArrow ? 1 : options.length - 1)) % options.length] as string);
  }
  if (key.backspace || key.delete) return set(current.slice(0, -1));
  if (key.ctrl && input === 'u') return set('');
  // Typed or pasted text; control characters never enter a field.
  // eslint-disable-next-line no-control-regex
  const clean = input.replace(/[\u0000-\u001f\u007f]/g, '');
  return clean && !key.ctrl && !key.meta ? set(current + clean) : only(state);
}

/** The problems of one step's fields in the answers so far (later steps are not asked yet). */
export function stepProblems(values: Values, detected: Detected, step: Step): { field: string; message: string }[] {
  return answersProblems(answersFrom(values, detected))
    .filter((p) => stepOfField(p.field) === step.id)
    // Shown under its own field: the field's dotted name in front would only repeat it.
    .map((p) => ({ field: p.field, message: p.message.slice(p.field.length + 2) }));
}

/**
 * Enter: the next field; on a step's last field the step is checked and left only
 * when it has no problem (all of them shown at once otherwise); after the last step,
 * the answers are checked and the artifacts built.
 */
function forward(state: WizardState, steps: Step[], step: Step, detected: Detected): WizardState {
  const fieldIndex = Math.min(state.fieldIndex, step.fields.length - 1);
  if (fieldIndex < step.fields.length - 1) return { ...state, fieldIndex: fieldIndex + 1 };
  const problems = stepProblems(state.values, detected, step);
  if (problems.length > 0) return { ...state, problems, fieldIndex: firstField(step, problems) };
  if (state.stepIndex < steps.length - 1) return { ...state, problems: [], stepIndex: state.stepIndex + 1, fieldIndex: 0 };
  const all = answersProblems(answersFrom(state.values, detected));
  if (all.length > 0) {
    // A step the user left clean can break later (a choice changed in between): go back to it.
    const si = Math.max(0, steps.findIndex((s) => s.id === stepOfField(all[0]!.field)));
    const target = steps[si] as Step;
    const shown = stepProblems(state.values, detected, target);
    return { ...state, stepIndex: si, problems: shown, fieldIndex: firstField(target, shown) };
  }
  const answers = validateAnswers(answersFrom(state.values, detected));
  return { ...state, problems: [], phase: { kind: 'review', answers, artifacts: buildArtifacts(answers) }, selected: 0, notice: [] };
}

/** The first field of the step that has a problem (the first field when none is shown on the step). */
function firstField(step: Step, problems: { field: string }[]): number {
  const i = step.fields.findIndex((f) => problems.some((p) => p.field === f.key || p.field.startsWith(`${f.key}.`)));
  return Math.max(0, i);
}
