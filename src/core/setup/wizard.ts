// The setup wizard as a pure state machine: a key (or the outcome of a save)
// and the state before it give the state after it and the effects to run
// (copy, save, finish). The Ink component only feeds it keys and draws the
// state, so keys that arrive together (a paste, auto-repeat, SSH) are applied
// one after another to the latest state and none is lost.
import { AnswersError, validateAnswers, type SetupAnswers } from './answers.js';
import { buildArtifacts, type Artifact } from './artifacts.js';
import { answersFrom, fieldValue, initialValues, stepOfField, stepsFor, type Detected, type Field, type Step, type Values } from './wizard-steps.js';

export type WizardPhase = { kind: 'ask' } | { kind: 'review'; answers: SetupAnswers; artifacts: Artifact[] };

export interface WizardState {
  values: Values;
  stepIndex: number;
  fieldIndex: number;
  /** The answer that stopped the walk, shown under its field. */
  error?: string;
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
  return { values: initialValues(detected), stepIndex: 0, fieldIndex: 0, phase: { kind: 'ask' }, selected: 0, notice: [], saved: false, done: false };
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
  if (state.done) return only(state);
  return state.phase.kind === 'review' ? reviewKey(state, state.phase, action.input, action.key, ctx) : askKey(state, action.input, action.key, ctx);
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
  if (key.return) return only(forward(state, steps, step, ctx.detected));
  if (key.escape) return only(state.stepIndex > 0 ? { ...state, error: undefined, stepIndex: state.stepIndex - 1, fieldIndex: 0 } : { ...state, error: undefined });
  if (key.upArrow) return only({ ...state, fieldIndex: Math.max(0, state.fieldIndex - 1) });
  if (key.downArrow || key.tab) return only({ ...state, fieldIndex: Math.min(step.fields.length - 1, state.fieldIndex + 1) });
  const set = (value: string): Result => only({ ...state, values: { ...state.values, [field.key]: value } });
  const current = fieldValue(state.values, field);
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

/** Enter: the next field, the next step, or — after the last — the answers checked and the artifacts built. */
function forward(state: WizardState, steps: Step[], step: Step, detected: Detected): WizardState {
  const next = { ...state, error: undefined };
  if (state.fieldIndex < step.fields.length - 1) return { ...next, fieldIndex: state.fieldIndex + 1 };
  if (state.stepIndex < steps.length - 1) return { ...next, stepIndex: state.stepIndex + 1, fieldIndex: 0 };
  try {
    const answers = validateAnswers(answersFrom(state.values, detected));
    return { ...next, phase: { kind: 'review', answers, artifacts: buildArtifacts(answers) }, selected: 0, notice: [] };
  } catch (err) {
    if (!(err instanceof AnswersError)) throw err;
    const si = steps.findIndex((s) => s.id === stepOfField(err.field));
    const fi = steps[si]?.fields.findIndex((f) => f.key === err.field) ?? -1;
    return { ...next, stepIndex: Math.max(0, si), fieldIndex: Math.max(0, fi), error: err.message };
  }
}
