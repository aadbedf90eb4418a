import { cutBytes, oneLine } from '@healthsock/server/protocol';
import { MAX_FIRST_LINE_BYTES } from './formatReply.js';

/** Docker keeps 4096 bytes of a health check's output, stdout and stderr together. */
export const MAX_OUTPUT_BYTES = 4096;

/** One line to print. A `json` line is fitted beforehand, and is printed whole or not at all. */
export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
  json?: boolean;
}

/**
 * Prints lines within the limits that pod events and Docker keep, whatever the lines hold
 * (a foreign server's reply, a 20 KB argument): every line is one line of at most
 * {@link MAX_FIRST_LINE_BYTES} (JSON lines excepted), and all of them at most
 * {@link MAX_OUTPUT_BYTES}; what does not fit is cut or left out.
 */
export function writeOutput(
  io: { stdout: { write(text: string): unknown }; stderr: { write(text: string): unknown } },
  lines: readonly OutputLine[],
): void {
  let left = MAX_OUTPUT_BYTES;
  for (const line of lines) {
    let text = line.json ? line.text : cutBytes(oneLine(line.text), MAX_FIRST_LINE_BYTES);
    if (Buffer.byteLength(text) + 1 > left) {
      if (line.json || left < 16) continue;
      text = cutBytes(text, left - 1);
    }
    io[line.stream].write(`${text}\n`);
    left -= Buffer.byteLength(text) + 1;
  }
}
