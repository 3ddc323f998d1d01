// Mounts the setup wizard, detects defaults (profiles in ~/.oci/config,
// OCI_CLI_AUTH), and at the end runs the doctor in the directory setup wrote.
import React from 'react';
import { render } from 'ink';
import { join } from 'node:path';
import { copyToSystemClipboard, osc52 } from '../../adapters/clipboard.js';
import { localFiles } from '../../adapters/files.js';
import { readProfileFacts } from '../../core/oci-profile.js';
import { readSystemFacts, type SystemFacts } from '../../adapters/system.js';
import type { CliIO } from '../../commands/io.js';
import { saveArtifacts } from '../../commands/setup/command.js';
import type { DoctorOptions } from '../../core/options.js';
import { isInert, rawStream } from '../../core/report/sanitize.js';
import { SETUP_AUTH_MODES, type SetupAuthMode } from '../../core/setup/answers.js';
import type { Detected } from '../../core/setup/wizard-steps.js';
import { Wizard } from './Wizard.js';

export interface WizardRunInput {
  options: DoctorOptions;
  io: CliIO;
  system?: SystemFacts;
  runDoctor?: (io: CliIO) => Promise<number>;
}

export async function detectDefaults(input: Pick<WizardRunInput, 'options' | 'io'> & { system: SystemFacts }): Promise<Detected> {
  const facts = await readProfileFacts({ options: input.options, env: input.io.env, files: localFiles, system: input.system }).catch(() => undefined);
  // Names and values from ~/.oci/config are drawn by the wizard and become answers: one holding a
  // control character (an escape sequence, a bidi override) is neither shown nor offered.
  const profiles = facts?.parsed ? [...facts.parsed.profiles.keys()].filter(isInert) : [];
  const profileValues: Detected['profileValues'] = {};
  for (const name of profiles) {
    const p = facts?.parsed?.profiles.get(name);
    const dflt = facts?.parsed?.profiles.get('DEFAULT');
    const region = p?.get('region')?.value ?? dflt?.get('region')?.value;
    const tenancy = p?.get('tenancy')?.value ?? dflt?.get('tenancy')?.value;
    profileValues[name] = { ...(region && isInert(region) ? { region } : {}), ...(tenancy && isInert(tenancy) ? { tenancy } : {}) };
  }
  const envMode = input.options.auth ?? input.io.env.OCI_CLI_AUTH;
  const authMode = (SETUP_AUTH_MODES as readonly string[]).includes(envMode ?? '') ? (envMode as SetupAuthMode) : undefined;
  return { profiles, profileValues, ...(authMode ? { authMode } : {}) };
}

export async function runSetupWizard({ options, io, system, runDoctor }: WizardRunInput): Promise<number> {
  const sys = system ?? readSystemFacts();
  const detected = await detectDefaults({ options, io, system: sys });
  const outDir = options.out ? join(io.cwd, options.out) : join(io.cwd, 'dbiam-setup');
  let result: { runDoctor: boolean; saved: boolean } | undefined;
  const app = render(
    <Wizard
      detected={detected}
      outDir={outDir}
      save={(_answers, artifacts) => saveArtifacts(outDir, artifacts)}
      copy={(text) => {
        rawStream(io.stdout).write(osc52(text));
        void copyToSystemClipboard(text, process.platform, io.env);
      }}
      finish={(r) => {
        result = r;
        app.unmount();
      }}
    />,
    // The run's own streams, as the doctor's screen draws on (the process's in a real run); nothing the
    // wizard does writes to the console, so Ink need not take it over.
    { stdin: io.stdin ?? process.stdin, stdout: rawStream(io.stdout) as NodeJS.WriteStream, stderr: rawStream(io.stderr) as NodeJS.WriteStream, exitOnCtrlC: true, patchConsole: false },
  );
  await app.waitUntilExit();
  if (!result) {
    // Ctrl+C: Ink exited without the wizard's own q or d.
    io.stdout.write('Setup interrupted.\n');
    return 130;
  }
  if (!result.saved) {
    io.stdout.write('Nothing saved.\n');
    return 0;
  }
  if (!result.runDoctor || !runDoctor) {
    io.stdout.write(`Saved in ${outDir}. Check it with: cd ${JSON.stringify(outDir)} && npx dbiam-doctor\n`);
    return 0;
  }
  io.stdout.write(`Running the doctor with ${join(outDir, 'dbiam-doctor.json')}…\n`);
  // The doctor's own config in outDir supplies every option: no flags.
  return runDoctor({ ...io, argv: ['--format', 'text'], cwd: outDir });
}
