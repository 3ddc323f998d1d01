// The setup wizard: one step at a time (Enter forward, Esc back, ↑↓ between
// fields, ←→ to choose), then the artifacts, copyable and saved on request.
import React, { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { AnswersError, validateAnswers, type SetupAnswers } from '../../core/setup/answers.js';
import { buildArtifacts, type Artifact } from '../../core/setup/artifacts.js';
import { answersFrom, fieldValue, initialValues, stepOfField, stepsFor, type Detected, type Values } from './model.js';

export interface WizardProps {
  detected: Detected;
  outDir: string;
  /** Writes the artifacts; returns the lines describing what happened (created / unchanged / replaced + diff). */
  save(answers: SetupAnswers, artifacts: Artifact[]): Promise<string[]>;
  copy(text: string): void;
  /** Called once when the user leaves: runDoctor after a save asks for the doctor run. */
  finish(result: { runDoctor: boolean; saved: boolean }): void;
}

type Phase = { kind: 'ask' } | { kind: 'review'; answers: SetupAnswers; artifacts: Artifact[] };

const valueOf = fieldValue;

export function Wizard({ detected, outDir, save, copy, finish }: WizardProps): React.ReactElement {
  const [values, setValues] = useState<Values>(() => initialValues(detected));
  const [stepIndex, setStepIndex] = useState(0);
  const [fieldIndex, setFieldIndex] = useState(0);
  const [error, setError] = useState<string | undefined>();
  const [phase, setPhase] = useState<Phase>({ kind: 'ask' });
  const [selected, setSelected] = useState(0);
  const [notice, setNotice] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const [done, setDone] = useState(false);

  const steps = stepsFor(values, detected);
  const step = steps[Math.min(stepIndex, steps.length - 1)]!;
  const field = step.fields[Math.min(fieldIndex, step.fields.length - 1)]!;

  const set = (key: string, value: string): void => setValues((v) => ({ ...v, [key]: value }));

  const forward = (): void => {
    setError(undefined);
    if (fieldIndex < step.fields.length - 1) {
      setFieldIndex(fieldIndex + 1);
      return;
    }
    if (stepIndex < steps.length - 1) {
      setStepIndex(stepIndex + 1);
      setFieldIndex(0);
      return;
    }
    try {
      const answers = validateAnswers(answersFrom(values, detected));
      setPhase({ kind: 'review', answers, artifacts: buildArtifacts(answers) });
      setSelected(0);
      setNotice([]);
    } catch (err) {
      if (!(err instanceof AnswersError)) throw err;
      const target = stepOfField(err.field);
      const si = steps.findIndex((s) => s.id === target);
      const fi = steps[si]?.fields.findIndex((f) => f.key === err.field) ?? -1;
      setStepIndex(Math.max(0, si));
      setFieldIndex(Math.max(0, fi));
      setError(err.message);
    }
  };

  const back = (): void => {
    setError(undefined);
    if (stepIndex > 0) {
      setStepIndex(stepIndex - 1);
      setFieldIndex(0);
    }
  };

  useInput((input, key) => {
    if (done) return;
    if (phase.kind === 'review') {
      const artifact = phase.artifacts[selected];
      if (key.escape) {
        setPhase({ kind: 'ask' });
        return;
      }
      if (key.downArrow || key.rightArrow || key.tab) setSelected((selected + 1) % phase.artifacts.length);
      else if (key.upArrow || key.leftArrow) setSelected((selected + phase.artifacts.length - 1) % phase.artifacts.length);
      else if (input === 'c' && artifact) {
        copy(artifact.content);
        setNotice([`Copied ${artifact.file} (${artifact.content.length} characters).`]);
      } else if (input === 's') {
        setNotice([`Saving to ${outDir}…`]);
        save(phase.answers, phase.artifacts).then(
          (lines) => {
            setSaved(true);
            setNotice([...lines, 'Press d to run the doctor against this setup, q to leave.']);
          },
          (err: Error) => setNotice([`Could not save to ${outDir}: ${err.message}`]),
        );
      } else if (input === 'd') {
        if (!saved) {
          setNotice(['Save first (s): the doctor reads the dbiam-doctor.json that setup writes.']);
          return;
        }
        setDone(true);
        finish({ runDoctor: true, saved });
      } else if (input === 'q') {
        setDone(true);
        finish({ runDoctor: false, saved });
      }
      return;
    }
    if (key.return) return forward();
    if (key.escape) return back();
    if (key.upArrow) return setFieldIndex(Math.max(0, fieldIndex - 1));
    if (key.downArrow || key.tab) return setFieldIndex(Math.min(step.fields.length - 1, fieldIndex + 1));
    if (field.kind === 'choice') {
      if (key.leftArrow || key.rightArrow) {
        const options = field.options;
        const at = Math.max(0, options.indexOf(valueOf(values, field)));
        const next = options[(at + (key.rightArrow ? 1 : options.length - 1)) % options.length] as string;
        set(field.key, next);
      }
      return;
    }
    if (key.backspace || key.delete) {
      set(field.key, valueOf(values, field).slice(0, -1));
      return;
    }
    if (key.ctrl && input === 'u') {
      set(field.key, '');
      return;
    }
    // Typed or pasted text; control characters never enter a field.
    // eslint-disable-next-line no-control-regex
    const clean = input.replace(/[\u0000-\u001f\u007f]/g, '');
    if (clean && !key.ctrl && !key.meta) set(field.key, valueOf(values, field) + clean);
  });

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
              </Box>
            );
          }
          return (
            <Text key={f.key} {...(focused ? { color: 'cyan' } : {})}>
              {focused ? '›' : ' '} {f.label}
              {f.optional ? ' (optional)' : ''}: {value}
              {focused ? '▏' : ''}
              {focused && f.hint && value === '' ? `  ${f.hint}` : ''}
            </Text>
          );
        })}
      </Box>
      {error ? <Text color="red">{error}</Text> : null}
      <Text dimColor>Enter next · Esc back · ↑↓ field · ←→ choose</Text>
    </Box>
  );
}
