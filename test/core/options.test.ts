import { describe, expect, it } from 'vitest';
import { resolveOptions, UsageError, validateSelection } from '../../src/core/options.js';

const resolve = (argv: string[], env: Record<string, string> = {}, config?: unknown) =>
  resolveOptions({ argv, env, configFile: config === undefined ? undefined : { path: '/cfg/dbiam-doctor.json', content: config } });

describe('options', () => {
  it('takes flags over environment over config file over defaults, and says where each came from', () => {
    const o = resolve(['--profile', 'FLAG'], { OCI_CLI_PROFILE: 'ENV', OCI_CLI_REGION: 'us-ashburn-1' }, { profile: 'CFG', region: 'eu-frankfurt-1', dsn: 'db_high' });
    expect(o.profile).toBe('FLAG');
    expect(o.region).toBe('us-ashburn-1');
    expect(o.dsn).toBe('db_high');
    expect(o.sources).toMatchObject({ profile: 'flag', region: 'env OCI_CLI_REGION', dsn: 'config /cfg/dbiam-doctor.json' });
    expect(o.format).toBeUndefined();
    expect(o.offline).toBe(false);
  });

  it('parses lists, repeats, booleans and the timeout in seconds', () => {
    const o = resolve(['--only', 'env, tls', '--ca-file', 'a.pem', '--ca-file', 'b.pem', '--offline', '--timeout', '2.5', '--format', 'json']);
    expect(o.only).toEqual(['env', 'tls']);
    expect(o.caFiles).toEqual(['a.pem', 'b.pem']);
    expect(o.offline).toBe(true);
    expect(o.timeoutMs).toBe(2500);
    expect(o.format).toBe('json');
  });

  it('accepts the command as the first positional', () => {
    expect(resolve(['checks']).command).toBe('checks');
    expect(resolve([]).command).toBe('doctor');
  });

  it.each([
    [['--nope'], /Unknown option '--nope'/],
    [['--auth', 'password'], /unknown auth mode 'password'/],
    [['--format', 'html'], /unknown format 'html'/],
    [['--timeout', 'soon'], /expected seconds/],
    [['--timeout', '0'], /expected seconds/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--profile'], /argument missing/],
  ])('rejects %j with a one-line reason', (argv, message) => {
    expect(() => resolve(argv)).toThrow(UsageError);
    expect(() => resolve(argv)).toThrow(message);
    try {
      resolve(argv);
    } catch (err) {
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('rejects a bad auth mode from the environment, naming the variable', () => {
    expect(() => resolve([], { OCI_CLI_AUTH: 'bogus' })).toThrow(/\$OCI_CLI_AUTH: unknown auth mode/);
  });

  it('rejects unknown keys and wrong types in the config file, naming the file and key', () => {
    expect(() => resolve([], {}, { profle: 'X' })).toThrow(/\/cfg\/dbiam-doctor.json: unknown option 'profle'/);
    expect(() => resolve([], {}, { offline: 'yes' })).toThrow(/dbiam-doctor.json: offline: expected true or false/);
    expect(() => resolve([], {}, [1, 2])).toThrow(/expected a JSON object/);
  });

  it('validates --only and --skip names against checks and categories', () => {
    const o = resolve(['--only', 'env.runtime,tls', '--skip', 'nonsense']);
    const catalogue = [{ id: 'env.runtime', category: 'env' }, { id: 'auth.mode', category: 'profile' }, { id: 'tls.chain', category: 'tls' }];
    expect(() => validateSelection(o, catalogue)).toThrow(/--skip: unknown check or category 'nonsense'/);
    expect(() => validateSelection(resolve(['--only', 'env.runtime,tls']), catalogue)).not.toThrow();
    // The family an id starts with is a name too: --only auth picks auth.mode.
    expect(() => validateSelection(resolve(['--only', 'auth,profile']), catalogue)).not.toThrow();
    expect(() => validateSelection(resolve(['--only', 'atuh']), catalogue)).toThrow(/unknown check or category 'atuh' \(did you mean 'auth'\?\)/);
  });
});

describe('config values that carry their own toString', () => {
  // String() of such a JSON object throws a TypeError; the run said "unexpected error: Cannot convert object to primitive value".
  it.each([
    [{ endpoints: { identity: { toString: 1 } } }, /endpoints: identity needs an http\(s\) URL, got '\{"toString":1\}'/],
    [{ timeoutMs: { toString: 2 } }, /timeoutMs: expected seconds between 0 and 3600, got '\{"toString":2\}'/],
  ])('%o is a usage error naming the value', (config, message) => {
    expect(() => resolve([], {}, config)).toThrow(UsageError);
    expect(() => resolve([], {}, config)).toThrow(message);
  });
});
