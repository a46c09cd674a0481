/** The reports feature's public surface: other features import only from here. */
export { ReportsModule } from './reports.module.js';
