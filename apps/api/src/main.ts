import 'reflect-metadata';
import { ConfigError, loadConfig } from './platform/config/app-config.js';
import { createApp } from './create-app.js';

try {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.PORT, '0.0.0.0');
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: error.message })}\n`);
    process.exit(1);
  }
  throw error;
}
