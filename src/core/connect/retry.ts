// RETRY_COUNT and RETRY_DELAY, as node-oracledb thin reads them
// (lib/thin/sqlnet/connStrategy.js, navNodes.js): the address list is tried
// 1 + RETRY_COUNT times, with RETRY_DELAY seconds (default 1) between rounds,
// and every failure — a REFUSE too — starts the next try. ADB's connection
// strings carry (retry_count=20)(retry_delay=3): a refused connection then
// fails only after about a minute. The doctor connects once with retries off
// and says what the driver would have done.
import { findAll, parseNvDescriptor, renderNv, type NvNode } from './nv.js';

/** node-oracledb's delay between rounds when RETRY_DELAY is not set (constants.js DEFAULT_RETRY_DELAY). */
export const DRIVER_DEFAULT_RETRY_DELAY_S = 1;

export interface RetryPlan {
  /** RETRY_COUNT: tries after the first one. */
  count: number;
  /** RETRY_DELAY in seconds (undefined: not set, the driver waits 1 s). */
  delaySeconds?: number;
}

/**
 * The same descriptor with RETRY_COUNT=0 in every DESCRIPTION (RETRY_DELAY
 * dropped): the driver tries each address once. Text that does not parse is
 * returned unchanged (the driver will say what is wrong with it).
 */
export function withoutRetries(descriptor: string): string {
  const parsed = parseNvDescriptor(descriptor);
  if (!parsed.ok) return descriptor;
  const root = parsed.value;
  const descriptions = root.key === 'DESCRIPTION' ? [root] : findAll(root, 'DESCRIPTION');
  for (const d of descriptions) {
    d.children = d.children.filter((c) => c.key !== 'RETRY_COUNT' && c.key !== 'RETRY_DELAY');
    d.children.unshift(atom('RETRY_COUNT', '0', d));
  }
  return renderNv(root);
}

function atom(name: string, value: string, near: NvNode): NvNode {
  return { name, key: name, value, children: [], at: near.at, valueAt: near.at };
}

/**
 * What the driver does with a connection that fails at once (refused), in
 * words: e.g. "node-oracledb would try 21 times (retry_count=20), 3 s apart:
 * about 60 s before it reports this error". Undefined when it tries once.
 */
export function retryStory(plan: RetryPlan | undefined, addresses: number): string | undefined {
  if (!plan || plan.count <= 0) return undefined;
  const delay = plan.delaySeconds && plan.delaySeconds > 0 ? plan.delaySeconds : DRIVER_DEFAULT_RETRY_DELAY_S;
  const rounds = plan.count + 1;
  const each = addresses > 1 ? ` the ${addresses} addresses` : '';
  return (
    `node-oracledb would try${each} ${rounds} times (retry_count=${plan.count}), ${delay} s apart` +
    `${plan.delaySeconds === undefined ? ' (the default delay)' : ''}: about ${plan.count * delay} s, plus each attempt's own time, before it reports this error. ` +
    'The doctor tried once (retry_count=0) to name the cause within its time limit.'
  );
}
