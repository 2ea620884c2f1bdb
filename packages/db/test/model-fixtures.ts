import type { PrismaClient } from "../src/generated/prisma/client.ts";

/**
 * One fully populated row per model (every optional field set), created in dependency
 * order and read back. A new model without an entry here fails schema-agreement.test.ts.
 */
interface ModelFixture {
  create(prisma: PrismaClient): Promise<unknown>;
  read(prisma: PrismaClient): Promise<unknown>;
  expected: Record<string, unknown>;
}

const at = (iso: string) => new Date(iso);
const T1 = at("2026-01-02T03:04:05.678Z");
const T2 = at("2026-02-03T04:05:06.789Z");

function fixture<Row extends Record<string, unknown>>(
  expected: Row,
  create: (prisma: PrismaClient, row: Row) => Promise<unknown>,
  read: (prisma: PrismaClient) => Promise<unknown>,
): ModelFixture {
  return { expected, create: (prisma) => create(prisma, expected), read };
}

const user = {
  id: "user-1",
  displayName: "Ada",
  birthDate: at("1990-05-17T00:00:00.000Z"),
  gender: "WOMAN" as const,
  gendersSought: ["MAN" as const, "NONBINARY" as const],
  relationshipGoal: "LONG_TERM" as const,
  attributes: ["pets", "vegetarian"],
  latitude: 37.7749,
  longitude: -122.4194,
  lastActiveAt: T1,
  createdAt: T1,
  profileUpdatedAt: T2,
  quizUpdatedAt: T1,
  locationUpdatedAt: T2,
  deactivatedAt: T1,
  deletedAt: T2,
};

export const modelFixtures: Record<string, ModelFixture> = {
  User: fixture(
    user,
    (p, data) => p.user.create({ data }),
    (p) => p.user.findUnique({ where: { id: "user-1" } }),
  ),
  MatchPreference: fixture(
    {
      userId: "user-1",
      minAge: 25,
      maxAge: 40,
      maxDistanceKm: 42.5,
      dealbreakers: ["smokes"],
      preferences: ["active"],
      updatedAt: T1,
    },
    (p, data) => p.matchPreference.create({ data }),
    (p) => p.matchPreference.findUnique({ where: { userId: "user-1" } }),
  ),
  QuizResponse: fixture(
    { userId: "user-1", answers: [0.25, 0.5, 1], updatedAt: T2 },
    (p, data) => p.quizResponse.create({ data }),
    (p) => p.quizResponse.findUnique({ where: { userId: "user-1" } }),
  ),
  UserInterest: fixture(
    { userId: "user-1", tag: "hiking" },
    (p, data) => p.userInterest.create({ data }),
    (p) => p.userInterest.findFirst({ where: { userId: "user-1" } }),
  ),
  Post: fixture(
    {
      id: "post-1",
      authorId: "user-1",
      type: "PHOTO" as const,
      caption: "Sunset hike",
      mediaCount: 3,
      tags: ["hiking", "sunset"],
      createdAt: T1,
      updatedAt: T2,
      deletedAt: T2,
    },
    (p, data) => p.post.create({ data }),
    (p) => p.post.findUnique({ where: { id: "post-1" } }),
  ),
  Message: fixture(
    { id: "msg-1", senderId: "user-1", recipientId: "user-1", sentAt: T1 },
    (p, data) => p.message.create({ data }),
    (p) => p.message.findUnique({ where: { id: "msg-1" } }),
  ),
  EngagementEvent: fixture(
    {
      id: 1n,
      actorId: "user-1",
      type: "SHARE" as const,
      postId: "post-1",
      targetUserId: "user-1",
      occurredAt: T2,
    },
    (p, data) => p.engagementEvent.create({ data }),
    (p) => p.engagementEvent.findUnique({ where: { id: 1n } }),
  ),
  MatchScore: fixture(
    {
      viewerUserId: "user-1",
      candidateUserId: "user-1",
      score: 0.75,
      reasons: ["shared_interest:hiking", "nearby_km:3"],
      computedAt: T1,
      algorithmVersion: "match-v1",
    },
    (p, data) => p.matchScore.create({ data }),
    (p) => p.matchScore.findFirst(),
  ),
  MatchScoreViewer: fixture(
    {
      viewerUserId: "user-1",
      computedAt: T1,
      latitude: 37.7749,
      longitude: -122.4194,
      algorithmVersion: "match-v1",
      candidateCount: 1,
    },
    (p, data) => p.matchScoreViewer.create({ data }),
    (p) => p.matchScoreViewer.findUnique({ where: { viewerUserId: "user-1" } }),
  ),
  UserCompatibility: fixture(
    {
      viewerUserId: "user-1",
      targetUserId: "user-1",
      score: 0.5,
      factors: { communication: { score: 0.4 } },
      computedAt: T2,
      algorithmVersion: "compat-v1",
    },
    (p, data) => p.userCompatibility.create({ data }),
    (p) => p.userCompatibility.findFirst(),
  ),
  PostFeatures: fixture(
    {
      postId: "post-1",
      topics: ["hike", "sunset"],
      sentiment: 0.6,
      quality: 0.8,
      nsfw: true,
      nsfwScore: 0.9,
      embeddings: [0.1, 0.2],
      visualFeatures: { mediaCount: 3 },
      metadata: { quality: { length: 0.5 } },
      inputHash: "abc123",
      postUpdatedAt: T2,
      reportCount: 2,
      computedAt: T1,
      algorithmVersion: "content-v1",
    },
    (p, data) => p.postFeatures.create({ data }),
    (p) => p.postFeatures.findUnique({ where: { postId: "post-1" } }),
  ),
  TrendingScore: fixture(
    {
      postId: "post-1",
      popularity: 12.5,
      velocity: 3.25,
      isTrending: true,
      peakTime: T1,
      decayMultiplier: 0.9,
      engagementCount: 17,
      computedAt: T1,
      expiresAt: T2,
      algorithmVersion: "trending-v1",
    },
    (p, data) => p.trendingScore.create({ data }),
    (p) => p.trendingScore.findUnique({ where: { postId: "post-1" } }),
  ),
  UserAffinityProfile: fixture(
    {
      userId: "user-1",
      topCreators: [{ userId: "user-1", weight: 1 }],
      topTopics: [{ tag: "hiking", weight: 0.7 }],
      contentTypePrefs: { photos: 0.5, text: 0.5, polls: 0, videos: 0 },
      engagementVelocity: 2.5,
      explorationFactor: 0.4,
      interactionCount: 33,
      computedAt: T2,
      algorithmVersion: "affinity-v1",
    },
    (p, data) => p.userAffinityProfile.create({ data }),
    (p) => p.userAffinityProfile.findUnique({ where: { userId: "user-1" } }),
  ),
  JobRun: fixture(
    {
      id: "run-1",
      jobName: "trending",
      status: "CANCELLED" as const,
      trigger: "EVENT" as const,
      scope: { postId: "post-1" },
      startedAt: T1,
      completedAt: T2,
      duration: 1234,
      itemsProcessed: 10,
      itemsFailed: 1,
      algorithmVersion: "trending-v1",
      error: "cancelled by an operator",
      metadata: { rowsWritten: 9 },
      asOf: T1,
      host: "worker-1",
      pid: 4242,
      cancelRequestedAt: T2,
    },
    (p, data) => p.jobRun.create({ data }),
    (p) => p.jobRun.findUnique({ where: { id: "run-1" } }),
  ),
  SchedulerTick: fixture(
    {
      key: "trending/every-15-min:2026-01-02T03:00:00.000Z",
      claimedBy: "worker-1:4242",
      claimedAt: T1,
      completedAt: T2,
    },
    (p, data) => p.schedulerTick.create({ data }),
    (p) => p.schedulerTick.findFirst(),
  ),
  JobControl: fixture(
    { jobName: "trending", pausedAt: T1, pausedBy: "ada", reason: "investigating a spike" },
    (p, data) => p.jobControl.create({ data }),
    (p) => p.jobControl.findUnique({ where: { jobName: "trending" } }),
  ),
  OperatorAction: fixture(
    {
      id: "action-1",
      at: T2,
      actor: "ada",
      via: "cookie",
      address: "127.0.0.1",
      action: "pause",
      target: "trending",
      detail: { reason: "investigating a spike" },
      outcome: "done",
      runId: "run-1",
    },
    (p, data) => p.operatorAction.create({ data }),
    (p) => p.operatorAction.findUnique({ where: { id: "action-1" } }),
  ),
  AffinityCreatorAudience: fixture(
    { creatorId: "user-1", available: false, audience: 12, events: 40, ineligibleEvents: 3 },
    (p, data) => p.affinityCreatorAudience.create({ data }),
    (p) => p.affinityCreatorAudience.findUnique({ where: { creatorId: "user-1" } }),
  ),
  CompatibilityTopicProfile: fixture(
    { userId: "user-1", topic: "hiking", engagements: 7 },
    (p, data) => p.compatibilityTopicProfile.create({ data }),
    (p) =>
      p.compatibilityTopicProfile.findUnique({
        where: { userId_topic: { userId: "user-1", topic: "hiking" } },
      }),
  ),
  JobSettings: fixture(
    {
      id: "settings-1",
      jobName: "trending",
      version: 2,
      settings: { algorithm: "trending-v2", gate: { minActions: 3 } },
      note: "tuned on January",
      actor: "tune",
      createdAt: T1,
    },
    (p, data) => p.jobSettings.create({ data }),
    (p) => p.jobSettings.findUnique({ where: { id: "settings-1" } }),
  ),
  JobRunShard: fixture(
    {
      runId: "run-1",
      shardIndex: 2,
      jobName: "match-scores",
      spec: { viewerIds: ["user-1", "user-2"] },
      status: "DONE" as const,
      attempt: 2,
      host: "worker-a",
      pid: 4242,
      queueJobId: "0b7e1c9a-6d1f-4f7e-9c1a-2f3b4c5d6e7f",
      startedAt: T1,
      completedAt: T2,
      durationMs: 1500,
      itemsProcessed: 2,
      itemsFailed: 1,
      failures: [{ item: "user-2", error: "no location" }],
      excluded: { minor: 3 },
      rowsScanned: 5_000_000_000n,
      rowsWritten: 40n,
      notes: { candidates: 12 },
      error: "expired on its first attempt",
    },
    (p, data) => p.jobRunShard.create({ data }),
    (p) =>
      p.jobRunShard.findUnique({ where: { runId_shardIndex: { runId: "run-1", shardIndex: 2 } } }),
  ),
  JobRunRebuild: fixture(
    { runId: "run-1", finalizerShard: 2, finalizedAt: T2, error: "validation failed" },
    (p, data) => p.jobRunRebuild.create({ data }),
    (p) => p.jobRunRebuild.findUnique({ where: { runId: "run-1" } }),
  ),
  JobDailyStat: fixture(
    {
      day: at("2026-01-02T00:00:00.000Z"),
      jobName: "trending",
      runs: 96,
      succeeded: 94,
      failed: 1,
      cancelled: 1,
      itemsProcessed: 12000,
      itemsFailed: 3,
      durationP50: 850,
      durationP95: 2100,
      coverage: 0.97,
      updatedAt: T2,
    },
    (p, data) => p.jobDailyStat.create({ data }),
    (p) => p.jobDailyStat.findFirst(),
  ),
  ScoreSnapshot: fixture(
    {
      runId: "run-1",
      jobName: "trending",
      tableName: "trending_scores",
      takenAt: T2,
      rows: 120,
      quantiles: { p05: 0.1, p25: 0.3, p50: 0.5, p75: 0.7, p95: 0.9, mean: 0.5 },
    },
    (p, data) => p.scoreSnapshot.create({ data }),
    (p) => p.scoreSnapshot.findUnique({ where: { runId: "run-1" } }),
  ),
  ViewerFeedState: fixture(
    {
      viewerUserId: "user-1",
      excludedCreatorIds: ["user-2", "user-3"],
      hiddenPostIds: ["post-1"],
      seenPostIds: ["post-2", "post-1"],
      computedAt: T2,
      algorithmVersion: "viewer-state-v1",
    },
    (p, data) => p.viewerFeedState.create({ data }),
    (p) => p.viewerFeedState.findUnique({ where: { viewerUserId: "user-1" } }),
  ),
};
