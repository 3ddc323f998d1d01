// A value from a user's file or command line, as text for a message.

/**
 * `value` as text: a string as it is, anything else as JSON (undefined when
 * JSON has no text for it). Not String(): a JSON object may carry its own
 * "toString" key (`{"toString": false}`), and String() of it throws.
 */
export function valueText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
