export * from './event-store.port.js';
export { validateAppend } from './append-validation.js';
export { GroupedWrites } from './grouped-writes.js';
export {
  APPEND_NOTIFY_CHANNEL,
  PostgresEventStore,
  type AppendedListener,
  type PostgresEventStoreOptions,
} from './postgres/postgres-event-store.js';
export { listenForAppends, type AppendListener } from './postgres/append-listener.js';
export { AdvisoryLockLeadership, ALWAYS_LEADER, type AdvisoryLockLeadershipOptions } from './postgres/advisory-lock-leadership.js';
export { EventStoreDbEventStore, connectEventStoreDb } from './eventstoredb/eventstoredb-event-store.js';
export { CheckpointStore, type CheckpointMove } from './subscription/checkpoint-store.js';
export {
  OwnBatchTransactions,
  SharedBatchTransactions,
  type BatchTransactions,
  type SharedBatchTransactionsOptions,
  type SubscriptionBatch,
} from './subscription/batch-transactions.js';
export {
  DurableSubscription,
  type DurableSubscriptionOptions,
  type Leadership,
  type SubscriptionHandler,
  type SubscriptionLogger,
  type SubscriptionStatus,
} from './subscription/durable-subscription.js';
