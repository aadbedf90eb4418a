// The smallest honest Node HTTP probe, as kubelet judges one: GET the URL with
// `Connection: close`, exit 0 on a 2xx or 3xx status, 1 otherwise.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script, as a person would write it */
const http = require('node:http');

const request = http.get(process.argv[2] ?? '', { headers: { connection: 'close' } }, (response) => {
  const status = response.statusCode ?? 0;
  response.pipe(process.stdout);
  response.on('end', () => process.exit(status >= 200 && status < 400 ? 0 : 1));
});
request.on('error', () => process.exit(1));
