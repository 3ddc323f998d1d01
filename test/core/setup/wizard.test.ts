// The setup wizard's state machine, without Ink: keys in, state and effects out.
import { describe, expect, it } from 'vitest';
import { currentStep, initialWizardState, reduceWizard, type WizardAction, type WizardKey, type WizardState } from '../../../src/core/setup/wizard.js';
import type { Detected } from '../../../src/core/setup/wizard-steps.js';

const detected: Detected = { profiles: ['DEFAULT'], profileValues: { DEFAULT: { region: 'eu-frankfurt-1', tenancy: 'ocid1.tenancy.oc1..aaaaaaaadetected' } } };
const ctx = { detected, outDir: '/out' };
const key = (input: string, k: WizardKey = {}): WizardAction => ({ type: 'key', input, key: k });

function run(actions: WizardAction[], from: WizardState = initialWizardState(detected)): { state: WizardState; effects: string[] } {
  let state = from;
  const effects: string[] = [];
  for (const a of actions) {
    const r = reduceWizard(state, a, ctx);
    state = r.state;
    effects.push(...r.effects.map((e) => e.kind));
  }
  return { state, effects };
}

describe('setup wizard state machine', () => {
  it('applies every key of a burst in order (a paste into a field)', () => {
    const { state } = run([key('', { return: true }), key('', { ctrl: true }), key('u', { ctrl: true }), ...'ops-team'.split('').map((c) => key(c))]);
    expect(currentStep(state, detected).step.id).toBe('profile');
    expect(state.values.profile).toBe('ops-team');
  });

  it('keeps control characters out of a field, and backspace removes one character', () => {
    const { state } = run([key('', { return: true }), key('u', { ctrl: true }), key('a\u001b[2Jb\u0007'), key('', { backspace: true })]);
    expect(state.values.profile).toBe('a[2J');
  });

  it('Esc on the first step leaves; ←/→ cycle a choice', () => {
    const right = run([key('', { rightArrow: true })]).state;
    expect(right.values.authMode).toBe('security_token');
    expect(run([key('', { leftArrow: true })]).state.values.authMode).toBe('oke_workload_identity');
    const esc = run([key('', { escape: true }), key('x')]);
    expect(esc.effects).toEqual(['finish']);
    expect(esc.state.done).toBe(true);
  });

  it('a run of keys reported as one input is split: Enter, Ctrl+U and Backspace inside it act', () => {
    const { state } = run([key('\r\u0015ops\rx\u007f')]);
    expect(currentStep(state, detected).field.key).toBe('region');
    expect(state.values.profile).toBe('ops');
    expect(state.values.region).toBe('eu-frankfurt-1');
  });

  it('a step with problems is not left; each is reported once, under its own field', () => {
    const toTarget = [key('', { return: true }), key('', { return: true }), key('', { return: true }), key('', { return: true })];
    const { state } = run([...toTarget, ...Array.from({ length: 7 }, () => key('', { return: true }))]);
    expect(currentStep(state, detected).step.id).toBe('target');
    expect(state.problems.map((p) => p.field)).toEqual(['target.compartmentPath', 'target.connectString']);
  });

  it('in review: c copies, s saves, d needs a save first, q leaves once and ignores later keys', () => {
    const review: WizardState = { ...initialWizardState(detected), phase: { kind: 'review', answers: {} as never, artifacts: [{ id: 'policy', file: 'policy.txt', title: 'IAM policy', content: 'Allow group G to use database-connections in tenancy\n' }] as never } };
    expect(run([key('c')], review).effects).toEqual(['copy']);
    const early = run([key('d')], review);
    expect(early.effects).toEqual([]);
    expect(early.state.notice[0]).toMatch(/^Save first/);
    const saved = run([key('s'), { type: 'saved', lines: ['created   /out/policy.txt'] }, key('d'), key('q')], review);
    expect(saved.effects).toEqual(['save', 'finish']);
    expect(saved.state.done).toBe(true);
  });
});
