// The real core in a process of its own, for faults a test process cannot survive or cause on
// itself: kill -9, crashes, two servers on one data dir. Configured entirely by its environment
// (the same variables the CLI reads); prints one JSON line with its URL once it listens.
import { createCore } from '../../main/core/index.js';

const core = await createCore({ env: process.env, port: 0, host: '127.0.0.1' });
const { url } = await core.start();
process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);
process.once('SIGTERM', () => {
  void core.close().then(() => process.exit(0));
});
