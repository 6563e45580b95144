import { start } from './index';

start().catch((e: unknown) => {
  process.stderr.write(`${JSON.stringify({ timestamp: new Date().toISOString(), level: 'error', msg: 'startup failed', error: (e as Error).message })}\n`);
  process.exit(1);
});
