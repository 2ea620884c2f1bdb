export { backoffDelayMs } from "./backoff.ts";
export {
  type ClaimOptions,
  claimNext,
  heartbeat,
  type JobRequest,
  recoverAbandoned,
} from "./claim.ts";
export { type Enqueued, type EnqueueOptions, enqueue } from "./enqueue.ts";
export { complete, type Failure, fail, release, retry } from "./finish.ts";
export {
  findRequestsByIdPrefix,
  listRequests,
  queueDepth,
  type RequestFilter,
  requestCounts,
} from "./list.ts";
export { assertScopeAccepted, type RequestedJob, type RequestScope, scopeKey } from "./scope.ts";
