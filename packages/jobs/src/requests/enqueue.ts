import { type Queue, runQueue } from "../queue/boss.ts";
import type { RunMessage } from "../queue/messages.ts";
import { abbreviate } from "../text.ts";
import { findQueuedTwin } from "./list.ts";
import { assertScopeAccepted, type RequestedJob, type RequestScope, scopeKey } from "./scope.ts";

export interface EnqueueOptions {
  /** When the event happened: the message's `requestedAt`. */
  now: Date;
  /**
   * What caused it, shown by `requests` (e.g. "post created"); cut to
   * {@link MAX_REASON_LENGTH} characters with a note. Default: none.
   */
  reason?: string;
}

export interface Enqueued {
  /** The pg-boss job id: the request's id for `requests` and `retry`. */
  id: string;
  /** False when a queued request for the same job and scope already existed and absorbed this one. */
  created: boolean;
}

/** A reason is a label for operators, not a payload: longer ones are cut when queued. */
export const MAX_REASON_LENGTH = 2_000;
const MAX_SEND_TRIES = 5;

/**
 * Queues a run of `job` for `scope` on the job's run queue, keyed by the scope: while a request
 * for the same job and scope waits (not yet started), a new one collapses into it (the queue's
 * "short" policy); a request already running does not absorb a new event, whose inputs may be
 * newer. The queue must have been opened with this job ({@link openQueue}).
 */
export async function enqueue(
  queue: Queue,
  job: RequestedJob,
  scope: RequestScope,
  options: EnqueueOptions,
): Promise<Enqueued> {
  assertScopeAccepted(job, scope);
  const message: RunMessage = {
    trigger: "EVENT",
    options: scope,
    reason: options.reason === undefined ? null : abbreviate(options.reason, MAX_REASON_LENGTH),
    requestedAt: options.now.toISOString(),
  };
  return sendRun(queue, runQueue(job.name), message, { singletonKey: scopeKey(scope) });
}

export interface SendRunOptions {
  /** Its deduplication key: an event's {@link scopeKey}, a tick's key. */
  singletonKey: string;
  /** Not before this. Default: now. */
  startAfter?: Date;
}

/**
 * Sends `message` to the run queue `name`, or finds the queued twin (same singleton key, not
 * yet started) that absorbed it. The twin can be taken by a worker between the refusal and the
 * lookup: then send again.
 */
export async function sendRun(
  queue: Queue,
  name: string,
  message: RunMessage,
  options: SendRunOptions,
): Promise<Enqueued> {
  const { singletonKey } = options;
  for (let tries = 1; ; tries++) {
    const id = await queue.send(name, message, options);
    if (id) return { id, created: true };
    const twin = await findQueuedTwin(queue.getDb(), name, singletonKey);
    if (twin) return { id: twin, created: false };
    if (!(await queue.getQueue(name))) {
      throw new Error(`queue ${name} does not exist: open the queue with its job first`);
    }
    if (tries >= MAX_SEND_TRIES) {
      throw new Error(`send to ${name} ${singletonKey}: kept racing with workers`);
    }
  }
}
