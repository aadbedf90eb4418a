/**
 * The one "make it one line" rule, for check names and messages in the server and every line the
 * CLI prints: the CLI prints one line per probe and kubelet shows it in pod events, so a line
 * break would split the reason, and other control characters could drive a terminal.
 *
 * A control character is Unicode's Cc (U+0000–U+001F and U+007F–U+009F); the line and paragraph
 * separators count too. Spelled as ranges, not as `\p{Cc}` with the `u` flag: V8 builds a Unicode
 * property set when it first compiles such a pattern, which cost every CLI probe about 3 M
 * instructions (1 ms).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_CHARACTER = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;
/** One of them and the whitespace and control characters after it, which become one space. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_RUN = /[\x00-\x1f\x7f-\x9f\u2028\u2029][\s\x00-\x1f\x7f-\x9f]*/g;

/** `text` as one line: each run of line breaks, control characters and the blanks after them is one space. */
export function oneLine(text: string): string {
  return text.replace(CONTROL_RUN, ' ');
}

/** Whether `text` shows as one line: no line break or other control character. */
export function isOneLine(text: string): boolean {
  return !CONTROL_CHARACTER.test(text);
}
