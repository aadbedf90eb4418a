#!/usr/bin/env node
import { main } from './main.js';

// A probe killed by its runner must fail at once, not linger while the deadline runs out.
process.once('SIGTERM', () => process.exit(1));

main(process.argv.slice(2), process.env, process).then((code) => process.exit(code));
