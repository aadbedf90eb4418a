// lightship (on Fastify): its /live and /ready endpoints. lightship has no checks to run per
// request: the application runs its checks on its own and calls signalReady() or
// signalNotReady(), and the endpoints answer from that flag. So its rows are the same with 0
// or 5 checks, and the checks' own cost is not in them. Listens on a free TCP port only.
import { createLightship } from 'lightship';
import { clientAddress, holdUntilStdinCloses } from './lifecycle.js';

if (process.argv[2] !== 'tcp') throw new Error('lightship listens on TCP only: node lightship.js tcp');
const lightship = await createLightship({ detectKubernetes: false, port: 0 });
lightship.signalReady();
const address = lightship.server.address();
holdUntilStdinCloses(clientAddress(address), async () => {
  await new Promise((done) => lightship.server.close(done));
});
