import net from 'node:net';

/**
 * Asks a probe over the socket from inside the server's own process, and resolves with the
 * reply once the connection has closed on both sides.
 *
 * @param {string} socketPath
 * @param {string} probe
 * @returns {Promise<string>}
 */
export function probeInProcess(socketPath, probe) {
  return new Promise((resolve, reject) => {
    let reply = '';
    const socket = net.connect(socketPath, () => socket.write(`${probe}\n`));
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (reply += chunk));
    socket.on('error', reject);
    socket.on('close', () => (reply.includes('"status":"healthy"') ? resolve(reply) : reject(new Error(reply))));
  });
}
