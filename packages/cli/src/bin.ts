#!/usr/bin/env node
import { main } from './main.js';

// A probe stopped by its runner fails at once, rather than linger until its deadline.
process.once('SIGTERM', () => {
  process.stderr.write('timeout: healthsock was stopped by SIGTERM before a reply\n');
  process.exit(1);
});

main(process.argv.slice(2), process.env, process).then((code) => process.exit(code));
