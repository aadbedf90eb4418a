// The smallest honest Node probe: connect, send `liveness\n`, read the reply, exit 0 or 1.
// This is the baseline the healthsock CLI is held to.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script, as a person would write it */
const net = require('node:net');

const socket = net.connect(process.argv[2]);
let reply = '';
socket.setEncoding('utf8');
socket.on('connect', () => socket.write('liveness\n'));
socket.on('data', (chunk) => (reply += chunk));
socket.on('error', () => process.exit(1));
socket.on('end', () => {
  const healthy = reply !== '' && !reply.includes('"status":"unhealthy"');
  process.stdout.write(reply);
  process.exit(healthy ? 0 : 1);
});
