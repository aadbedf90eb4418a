/**
 * An `io` for the CLI's `main(argv, env, io)` that keeps what it writes: `out.stdout` and
 * `out.stderr` grow with every write.
 */
export function captureIo() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
  };
  return { out, io };
}
