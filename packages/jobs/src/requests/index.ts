export {
  type Enqueued,
  type EnqueueOptions,
  enqueue,
  MAX_REASON_LENGTH,
  type SendRunOptions,
  sendRun,
} from "./enqueue.ts";
export {
  findRequestsByIdPrefix,
  listRequests,
  type QueuedRequest,
  queueDepth,
  REQUEST_STATES,
  type RequestFilter,
  type RequestState,
  requestCounts,
  type Sql,
} from "./list.ts";
export { NotRetriable, retry } from "./retry.ts";
export { assertScopeAccepted, type RequestedJob, type RequestScope, scopeKey } from "./scope.ts";
export { withQueue } from "./with-queue.ts";
