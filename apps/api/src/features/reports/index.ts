/** The reports feature's public surface: other features import only from here. */
export { ReportsModule } from './reports.module.js';
export { capacityOutlookProjection } from './capacity-outlook.projection.js';
export { waitingTimesProjection } from './waiting-times.projection.js';
