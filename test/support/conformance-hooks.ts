import { appendFileSync } from 'node:fs';
import { takeConformanceViolations } from './openapi-conformance.js';

/** OPENAPI_CONFORMANCE_LOG=<file>: record violations there (JSON lines) instead of failing, to survey them all. */
const surveyFile = process.env.OPENAPI_CONFORMANCE_LOG;

/**
 * Loaded by jest (setupFilesAfterEnv) for the integration suites: a test during which the API answered
 * something its OpenAPI document does not say fails, naming the request, the operation and the problem.
 */
afterEach(() => {
  const violations = takeConformanceViolations();
  if (violations.length === 0) return;
  if (surveyFile) {
    const test = expect.getState().currentTestName ?? '';
    appendFileSync(surveyFile, violations.map((v) => JSON.stringify({ test, ...v })).join('\n') + '\n');
    return;
  }
  const lines = violations.slice(0, 20).map((v) => `  ${v.method} ${v.url} → ${v.status} (${v.operation}): ${v.problem}`);
  const more = violations.length > 20 ? `\n  … and ${violations.length - 20} more` : '';
  throw new Error(`The API answered outside its OpenAPI document (${violations.length}):\n${lines.join('\n')}${more}`);
});
