/** The audit feature's public surface: other features import only from here. */
export { AuditModule } from './audit.module.js';
export { auditIndexProjection } from './audit-index.projection.js';
