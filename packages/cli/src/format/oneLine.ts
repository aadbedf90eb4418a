/**
 * Each output line stays one line whatever a server sends: a line break in a message would split
 * the reason that pod events show, and other control characters could drive the terminal.
 */
export function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029][\s\p{Cc}]*/gu, ' ');
}
