export { generateWorkload, type WorkloadOptions, type WorkloadProgress, type WorkloadResult } from './generate.js';
export { ApiClient, assertLoopback, inPool, type ApiAnswer } from './http.js';
export { ApiProcess, ensureBuilt } from './api-process.js';
export { seedTeamServiceHistory } from './history.js';
