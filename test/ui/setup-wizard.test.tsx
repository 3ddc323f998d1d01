// The setup wizard as a user drives it, through ink-testing-library: every
// golden answers file (each auth mode, mapping kind and TLS path) typed in key
// by key must produce the same artifacts as `setup --answers`; back, errors,
// copy, save and the final doctor run behave as the screen says.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import React from 'react';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateAnswers, type SetupAnswers } from '../../src/core/setup/answers.js';
import { buildArtifacts, type Artifact } from '../../src/core/setup/artifacts.js';
import { initialValues, stepsFor, type Detected, type Values } from '../../src/core/setup/wizard-steps.js';
import { Wizard } from '../../src/ui/setup/Wizard.js';

const ESC = '\u001B';
const RIGHT = `${ESC}[C`;
const ENTER = '\r';
const CTRL_U = '\u0015';
// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-?]*[ -/]*[@-~]/g;
/**
 * Lets Ink and React finish what a key or a prop change started: a pending
 * lone Esc is flushed on setImmediate, and React runs passive effects (which
 * re-attach useInput handlers) from its scheduler, also on setImmediate. So a
 * few turns of the event loop, not a wall-clock sleep: the same under load.
 */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
};

const FIXTURES = join(import.meta.dirname, '../fixtures/setup');
const CASES = readdirSync(FIXTURES).sort();
const DETECTED: Detected = { profiles: ['DEFAULT', 'dev-session'], profileValues: { DEFAULT: { region: 'eu-frankfurt-1', tenancy: 'ocid1.tenancy.oc1..aaaaaaaadetected' } } };

afterEach(() => cleanup());

function flatten(o: unknown, prefix = '', out: Values = {}): Values {
  for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') flatten(v, key, out);
    else out[key] = String(v);
  }
  return out;
}

function mount(overrides: Partial<React.ComponentProps<typeof Wizard>> = {}) {
  const save = vi.fn(async (_a: SetupAnswers, artifacts: Artifact[]) => artifacts.map((a) => `created   /out/${a.file}`));
  const copy = vi.fn();
  const finish = vi.fn();
  const ui = render(<Wizard detected={DETECTED} outDir="/out" save={save} copy={copy} finish={finish} {...overrides} />);
  const frame = (): string => (ui.lastFrame() ?? '').replace(ANSI, '');
  const press = async (s: string): Promise<void> => {
    ui.stdin.write(s);
    await settle();
  };
  return { ui, save, copy, finish, frame, press };
}

/** Types `want` into the wizard, field by field, in the order the screen asks. */
async function walk(press: (s: string) => Promise<void>, frame: () => string, want: Values): Promise<void> {
  const values = initialValues(DETECTED);
  for (let s = 0; s < 5; s++) {
    const step = stepsFor(values, DETECTED)[s];
    if (!step) break;
    expect(frame()).toContain(`${step.title}`);
    expect(frame()).toContain('Why:');
    // A choice can add fields to its own step (the TLS path does): re-read the step after each field.
    for (let i = 0; i < (stepsFor(values, DETECTED)[s]?.fields.length ?? 0); i++) {
      const f = stepsFor(values, DETECTED)[s]!.fields[i]!;
      const target = want[f.key];
      if (f.kind === 'choice') {
        const desired = target ?? f.options[0]!;
        for (let n = 0; n < f.options.length && !frame().includes(`● ${desired}`); n++) await press(RIGHT);
        expect(frame()).toContain(`● ${desired}`);
        values[f.key] = desired;
      } else {
        await press(CTRL_U);
        if (target) await press(target);
        values[f.key] = target ?? '';
      }
      await press(ENTER);
    }
  }
}

function focusedLine(frame: string): string {
  return frame.split('\n').find((l) => l.trimStart().startsWith('›')) ?? '';
}

describe('setup wizard', () => {
  it.each(CASES)('walking %s by keyboard gives the --answers artifacts', async (name) => {
    const answers = JSON.parse(readFileSync(join(FIXTURES, name, 'answers.json'), 'utf8'));
    const { press, frame, save } = mount();
    await walk(press, frame, flatten(answers));
    expect(frame()).toContain('the artifacts');
    const expected = buildArtifacts(validateAnswers(answers));
    for (const a of expected) expect(frame()).toContain(a.file);
    await press('s');
    await vi.waitFor(() => expect(save).toHaveBeenCalledTimes(1), { timeout: 5000 });
    expect(save.mock.calls[0]?.[1]).toEqual(expected);
    expect(frame()).toContain('created   /out/policy.txt');
  });

  it('starts from what it detected: the default profile and its region and tenancy', async () => {
    const { press, frame } = mount();
    expect(frame()).toContain('● api_key');
    await press(ENTER);
    expect(frame()).toContain('found: DEFAULT, dev-session');
    expect(frame()).toContain('profile name (optional): DEFAULT');
    expect(frame()).toContain('region: eu-frankfurt-1');
    expect(frame()).toContain('ocid1.tenancy.oc1..aaaaaaaadetected');
  });

  it('keys that arrive together (a paste, auto-repeat, SSH) are applied in order and none is lost', async () => {
    const { ui, frame } = mount();
    // No settling between keys: each must see the state the one before left
    // (security_token, next step, clear, type 'ops', next field).
    for (const k of [RIGHT, ENTER, CTRL_U, 'o', 'p', 's', ENTER]) ui.stdin.write(k);
    await vi.waitFor(() => expect(frame()).toContain('› region: eu-frankfurt-1'));
    expect(frame()).toContain('step 2/5: Profile');
    expect(frame()).toContain('  profile name (optional): ops');
    // A lone Esc is told from the start of an escape sequence only by the pause after it.
    ui.stdin.write(ESC);
    await settle();
    ui.stdin.write(ENTER);
    await vi.waitFor(() => expect(frame()).toContain('› profile name (optional): ops'));
  });

  it('Esc goes back a step and keeps what was typed', async () => {
    const { press, frame } = mount();
    await press(RIGHT); // security_token
    await press(ENTER);
    expect(frame()).toContain('step 2/5: Profile');
    await press(CTRL_U);
    await press('ops');
    await press(`${ESC}`);
    expect(frame()).toContain('step 1/5: Auth mode');
    expect(frame()).toContain('● security_token');
    await press(ENTER);
    expect(frame()).toContain('profile name (optional): ops');
  });

  it('leaving a step checks it: every problem shows at once under its field, and the step stays', async () => {
    const { press, frame } = mount();
    await press(ENTER); // auth
    await press(ENTER); // profile name
    await press(ENTER); // region
    await press(ENTER); // tenancy: the profile step is clean, so it is left
    expect(frame()).toContain('step 3/5: Target database');
    // Accept every default of the target: no compartment path, no database OCID, no connect string.
    for (let i = 0; i < 7; i++) await press(ENTER);
    expect(frame()).toContain('step 3/5: Target database');
    expect(frame()).toMatch(/policy compartment: ▏.*\n\s+✖ missing: 'tenancy' or a compartment path/);
    expect(frame()).toMatch(/connect string \(or the database OCID\):\n\s+✖ missing: give target.adbId or target.connectString/);
    expect(frame()).toContain('2 problems to fix before the next step.');
    expect(focusedLine(frame())).toContain('policy compartment');
    // Fixing one field clears its problem; the step is left once nothing is wrong.
    await press('tenancy');
    expect(frame()).not.toContain("✖ missing: 'tenancy'");
    for (let i = 0; i < 2; i++) await press(ENTER);
    await press('tcps://db.example.com:1522/svc_high');
    for (let i = 0; i < 3; i++) await press(ENTER);
    expect(frame()).toContain('step 4/5: Mapping');
  });

  it('offers only the TLS paths the auth mode can take: no dbtools for an instance principal', async () => {
    const user = mount();
    for (let i = 0; i < 4; i++) await user.press(ENTER);
    expect(user.frame()).toContain('○ dbtools');
    cleanup();
    const instance = mount();
    await instance.press(`${ESC}[B`.repeat(1)); // ↓ security_token
    await instance.press(`${ESC}[B`); // ↓ instance_principal
    expect(instance.frame()).toContain('● instance_principal');
    for (let i = 0; i < 3; i++) await instance.press(ENTER);
    expect(instance.frame()).toContain('step 3/5: Target database');
    expect(instance.frame()).toContain('● one-way-tls');
    expect(instance.frame()).toContain('○ wallet');
    expect(instance.frame()).not.toContain('dbtools');
  });

  it('marks (optional) only the fields that can stay empty now', async () => {
    const { press, frame } = mount();
    for (let i = 0; i < 4; i++) await press(ENTER);
    expect(frame()).toContain('Autonomous Database OCID (or a connect string):');
    expect(frame()).toMatch(/ {2}policy compartment:\n/);
    expect(frame()).toMatch(/ {2}database's compartment OCID:\n/);
    expect(frame()).toContain('wallet / tnsnames.ora directory (optional):');
    expect(frame()).toContain('wallet Vault secret OCID (optional):');
    // A tnsnames alias makes the directory needed; the connect string makes the OCID optional.
    for (let i = 0; i < 4; i++) await press(ENTER);
    await press('db_high');
    expect(frame()).toMatch(/ {2}wallet \/ tnsnames.ora directory:\n/);
    expect(frame()).toContain('Autonomous Database OCID (optional):');
  });

  it('keys written in one burst (a paste with Enter in it) are each applied, in order', async () => {
    const { ui, frame } = mount();
    // One write: → (security_token), Enter, Ctrl+U, 'ops', Enter, 'x', Backspace.
    ui.stdin.write(`${RIGHT}${ENTER}${CTRL_U}ops${ENTER}x\u007f`);
    await vi.waitFor(() => expect(frame()).toContain('› region: eu-frankfurt-1▏'));
    expect(frame()).toContain('step 2/5: Profile');
    expect(frame()).toContain('  profile name (optional): ops');
    // A pasted block: the value and the Enter that follows it, then the next value.
    ui.stdin.write(`${CTRL_U}us-phoenix-1${ENTER}${CTRL_U}ocid1.tenancy.oc1..aaaaaaaapasted${ENTER}`);
    await vi.waitFor(() => expect(frame()).toContain('step 3/5: Target database'));
    ui.stdin.write(ESC);
    await vi.waitFor(() => expect(frame()).toContain('step 2/5: Profile'));
    expect(frame()).toContain('region: us-phoenix-1');
    expect(frame()).toContain('tenancy OCID: ocid1.tenancy.oc1..aaaaaaaapasted');
  });

  it('↑/↓ move through a list and on past its ends to the next or previous field', async () => {
    const DOWN = `${ESC}[B`;
    const UP = `${ESC}[A`;
    const { press, frame } = mount();
    await press(DOWN);
    expect(frame()).toContain('● security_token');
    for (let i = 0; i < 3; i++) await press(DOWN);
    expect(frame()).toContain('● oke_workload_identity');
    await press(UP);
    expect(frame()).toContain('● resource_principal');
    for (let i = 0; i < 3; i++) await press(UP);
    await press(ENTER);
    for (let i = 0; i < 3; i++) await press(ENTER);
    expect(frame()).toContain('step 3/5: Target database');
    expect(frame()).toContain('● one-way-tls');
    await press(DOWN);
    expect(frame()).toContain('● dbtools');
    await press(DOWN); // past the last option: the next field
    expect(focusedLine(frame())).toContain('Autonomous Database OCID');
    await press(UP); // back onto the list, keeping the choice
    expect(focusedLine(frame())).toContain('path');
    expect(frame()).toContain('● dbtools');
    await press(UP);
    expect(frame()).toContain('● one-way-tls');
  });

  it('Esc on the first step leaves the wizard without saving', async () => {
    const { press, finish, save } = mount();
    await press(ENTER);
    await press(ESC);
    expect(finish).not.toHaveBeenCalled();
    await press(ESC);
    expect(finish).toHaveBeenCalledWith({ runDoctor: false, saved: false });
    expect(save).not.toHaveBeenCalled();
  });

  it('in the review: c copies the shown artifact, d asks to save first, s then d runs the doctor', async () => {
    const answers = JSON.parse(readFileSync(join(FIXTURES, 'oke-exclusive-user', 'answers.json'), 'utf8'));
    const { press, frame, copy, finish } = mount();
    await walk(press, frame, flatten(answers));
    await press('c');
    expect(copy).toHaveBeenCalledWith(buildArtifacts(validateAnswers(answers))[0]?.content);
    expect(frame()).toContain('Copied policy.txt');
    await press('d');
    expect(frame()).toContain('Save first');
    expect(finish).not.toHaveBeenCalled();
    await press('s');
    await vi.waitFor(() => expect(frame()).toContain('Press d to run the doctor'), { timeout: 5000 });
    await press('d');
    expect(finish).toHaveBeenCalledWith({ runDoctor: true, saved: true });
  });

  it('q leaves without saving', async () => {
    const answers = JSON.parse(readFileSync(join(FIXTURES, 'resource-principal-dynamic-group', 'answers.json'), 'utf8'));
    const { press, frame, finish, save } = mount();
    await walk(press, frame, flatten(answers));
    await press('q');
    expect(finish).toHaveBeenCalledWith({ runDoctor: false, saved: false });
    expect(save).not.toHaveBeenCalled();
  });
});
