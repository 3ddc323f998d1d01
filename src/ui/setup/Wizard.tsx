// The setup wizard: one step at a time (Enter forward, Esc back — on the first
// step, out —, ↑↓ through a list's options and between fields, ←→ to choose),
// then the artifacts, copyable and saved on request.
import React, { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { SetupAnswers } from '../../core/setup/answers.js';
import type { Artifact } from '../../core/setup/artifacts.js';
import { currentStep, initialWizardState, reduceWizard, type WizardAction, type WizardState } from '../../core/setup/wizard.js';
import { fieldValue, type Detected } from '../../core/setup/wizard-steps.js';

export interface WizardProps {
  detected: Detected;
  outDir: string;
  /** Writes the artifacts; returns the lines describing what happened (created / unchanged / replaced + diff). */
  save(answers: SetupAnswers, artifacts: Artifact[]): Promise<string[]>;
  copy(text: string): void;
  /** Called once when the user leaves: runDoctor after a save asks for the doctor run. */
  finish(result: { runDoctor: boolean; saved: boolean }): void;
}

export function Wizard({ detected, outDir, save, copy, finish }: WizardProps): React.ReactElement {
  // The state lives in a ref and is replaced synchronously for every key, so a
  // burst of keys is applied in order to the latest state (a closure over the
  // last render's state would drop or misapply them); a counter re-renders.
  const state = useRef<WizardState>(initialWizardState(detected));
  const [, redraw] = useState(0);
  const ctx = { detected, outDir };

  const dispatch = (action: WizardAction): void => {
    const { state: next, effects } = reduceWizard(state.current, action, ctx);
    state.current = next;
    redraw((n) => n + 1);
    for (const effect of effects) {
      if (effect.kind === 'copy') copy(effect.text);
      else if (effect.kind === 'finish') finish({ runDoctor: effect.runDoctor, saved: effect.saved });
      else {
        save(effect.answers, effect.artifacts).then(
          (lines) => dispatch({ type: 'saved', lines }),
          (err: Error) => dispatch({ type: 'save-failed', message: err.message }),
        );
      }
    }
  };

  useInput((input, key) => dispatch({ type: 'key', input, key }));

  const { phase, selected, notice, values, stepIndex, fieldIndex, problems } = state.current;
  const { steps, step } = currentStep(state.current, detected);
  const problemsOf = (key: string): string[] => problems.filter((p) => p.field === key || p.field.startsWith(`${key}.`)).map((p) => p.message);
  // Problems about no field on the screen (an unknown key) still show, under the fields.
  const loose = problems.filter((p) => !step.fields.some((f) => p.field === f.key || p.field.startsWith(`${f.key}.`)));
  const valueOf = fieldValue;

  if (phase.kind === 'review') {
    const artifact = phase.artifacts[selected];
    return (
      <Box flexDirection="column">
        <Text bold>dbiam-doctor setup: the artifacts</Text>
        <Text dimColor>↑↓ choose · c copy · s save to {outDir} · d run the doctor (after saving) · Esc back · q leave</Text>
        <Box flexDirection="column" marginTop={1}>
          {phase.artifacts.map((a, i) => (
            <Text key={a.id} {...(i === selected ? { color: 'cyan' } : {})}>
              {i === selected ? '›' : ' '} {a.file.padEnd(24)} {a.title}
            </Text>
          ))}
        </Box>
        {artifact ? (
          <Box flexDirection="column" marginTop={1} borderStyle="single" paddingX={1}>
            <Text>{artifact.content.trimEnd()}</Text>
          </Box>
        ) : null}
        {notice.map((line, i) => (
          <Text key={i}>{line}</Text>
        ))}
      </Box>
    );
  }

  return (
    <Box flexDirection="column">
      <Text bold>
        dbiam-doctor setup · step {stepIndex + 1}/{steps.length}: {step.title}
      </Text>
      <Text dimColor>Why: {step.why}</Text>
      <Box flexDirection="column" marginTop={1}>
        {step.fields.map((f, i) => {
          const focused = i === fieldIndex;
          const value = valueOf(values, f);
          const wrong = problemsOf(f.key).map((m, n) => (
            <Text key={`${f.key}-problem-${n}`} color="red">
              {'    ✖ '}
              {m}
            </Text>
          ));
          if (f.kind === 'choice') {
            return (
              <Box key={f.key} flexDirection="column">
                <Text {...(focused ? { color: 'cyan' } : {})}>
                  {focused ? '›' : ' '} {f.label}:
                </Text>
                {f.options.map((o) => (
                  <Text key={o} {...(o === value ? { bold: true } : { dimColor: true })}>
                    {'    '}
                    {o === value ? '●' : '○'} {o}
                    {o === value && f.notes?.[o] ? `  ${f.notes[o]}` : ''}
                  </Text>
                ))}
                {wrong}
              </Box>
            );
          }
          const need = f.need === 'required' ? '' : f.need === 'optional' ? ' (optional)' : ` (or ${f.need.or})`;
          return (
            <Box key={f.key} flexDirection="column">
              <Text {...(focused ? { color: 'cyan' } : {})}>
                {focused ? '›' : ' '} {f.label}
                {need}: {value}
                {focused ? '▏' : ''}
                {focused && f.hint && value === '' ? `  ${f.hint}` : ''}
              </Text>
              {wrong}
            </Box>
          );
        })}
      </Box>
      {loose.map((p, n) => (
        <Text key={`loose-${n}`} color="red">
          ✖ {p.message}
        </Text>
      ))}
      {problems.length > 0 ? <Text color="red">{problems.length === 1 ? '1 problem' : `${problems.length} problems`} to fix before the next step.</Text> : null}
      <Text dimColor>Enter next · Esc {stepIndex === 0 ? 'leave' : 'back'} · ↑↓ move · ←→ choose</Text>
    </Box>
  );
}
