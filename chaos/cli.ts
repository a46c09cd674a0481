import { chaosCli } from './main.js';

// `npm run chaos` (see chaos/main.ts for the options)
process.exitCode = await chaosCli(process.argv.slice(2));
