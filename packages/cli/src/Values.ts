/** What the command line says, before the probe, the target and the durations are read from it. */
export type Values = {
  positionals: string[];
  target: string | undefined;
  socket: string | undefined;
  timeout: string;
  maxAge: string;
  json: boolean;
  verbose: boolean;
  quiet: boolean;
  /** `--header` as given, once per use. */
  headers: string[];
};

export const DEFAULT_TIMEOUT = '800ms';

/** Three of the server's default heartbeat intervals (5 s): one late write is no failure, three are. */
export const DEFAULT_MAX_AGE = '15s';

/** What an empty command line says: no arguments, every option at its default. */
export function defaultValues(): Values {
  return {
    positionals: [],
    socket: undefined,
    target: undefined,
    timeout: DEFAULT_TIMEOUT,
    maxAge: DEFAULT_MAX_AGE,
    json: false,
    verbose: false,
    quiet: false,
    headers: [],
  };
}
