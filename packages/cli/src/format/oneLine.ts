/**
 * Each output line stays one line whatever a server sends: a line break in a message would split
 * the reason that pod events show, and other control characters could drive the terminal.
 */
export function oneLine(text: string): string {
  return text.replace(CONTROL_RUN, ' ');
}

/**
 * A control character (Unicode's Cc: U+0000–U+001F and U+007F–U+009F) or a line or paragraph
 * separator, with the whitespace and control characters after it. Spelled as ranges, not as
 * `\p{Cc}` with the `u` flag: V8 builds a Unicode property set when it first compiles such a
 * pattern, which cost every probe about 3 M instructions (1 ms).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_RUN = /[\x00-\x1f\x7f-\x9f\u2028\u2029][\s\x00-\x1f\x7f-\x9f]*/g;
