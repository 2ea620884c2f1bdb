import { type IneligibleReason, ineligibleReason } from "@feed-jobs/db";
import type { PostTypeName, ViewerAffinity } from "@feed-jobs/scoring/feed";
import type { Sql } from "./sql.ts";

/** Why a viewer gets no feed: the shared eligibility rule's reason, or no such user. */
export type ViewerIneligibleReason = IneligibleReason | "unknownUser";

/** What the feed knows about its viewer, from the viewer-state and affinity jobs. */
export interface FeedViewer {
  /** Why the viewer may not be served at `now` (the shared eligibility rule); null: eligible. */
  readonly ineligible: ViewerIneligibleReason | null;
  /** Creators never shown; empty without a viewer-state row. */
  readonly excludedCreatorIds: readonly string[];
  readonly hiddenPostIds: readonly string[];
  readonly seenPostIds: readonly string[];
  /** When the viewer-state job last wrote this viewer's row; null: never (no filters yet). */
  readonly stateComputedAt: Date | null;
  /** Null: no affinity profile (cold start). */
  readonly affinity: ViewerAffinity | null;
  readonly affinityComputedAt: Date | null;
}

interface ViewerRow {
  known: boolean;
  ineligible: IneligibleReason | null;
  excluded_creator_ids: string[] | null;
  hidden_post_ids: string[] | null;
  seen_post_ids: string[] | null;
  state_computed_at: Date | null;
  top_creators: unknown;
  top_topics: unknown;
  content_type_prefs: unknown;
  affinity_computed_at: Date | null;
}

/**
 * One round trip, three primary-key reads: the viewer's eligibility at `now` (users),
 * viewer_feed_state and user_affinity_profiles.
 */
export async function loadViewer(db: Sql, viewerId: string, now: Date): Promise<FeedViewer> {
  const [row] = await db.$queryRaw<ViewerRow[]>`
    SELECT u.id IS NOT NULL AS known, ${ineligibleReason("u", now)} AS ineligible,
           s.excluded_creator_ids, s.hidden_post_ids, s.seen_post_ids,
           s.computed_at AS state_computed_at,
           a.top_creators, a.top_topics, a.content_type_prefs,
           a.computed_at AS affinity_computed_at
    FROM (SELECT ${viewerId}::text AS id) viewer
    LEFT JOIN users u ON u.id = viewer.id
    LEFT JOIN viewer_feed_state s ON s.viewer_user_id = viewer.id
    LEFT JOIN user_affinity_profiles a ON a.user_id = viewer.id`;
  return {
    ineligible: row?.known ? row.ineligible : "unknownUser",
    excludedCreatorIds: row?.excluded_creator_ids ?? [],
    hiddenPostIds: row?.hidden_post_ids ?? [],
    seenPostIds: row?.seen_post_ids ?? [],
    stateComputedAt: row?.state_computed_at ?? null,
    affinity: row?.affinity_computed_at
      ? parseAffinity(row.top_creators, row.top_topics, row.content_type_prefs)
      : null,
    affinityComputedAt: row?.affinity_computed_at ?? null,
  };
}

/** JSON keys of contentTypePrefs, per post type. */
const TYPE_KEYS: Record<PostTypeName, string> = {
  PHOTO: "photos",
  TEXT: "text",
  POLL: "polls",
  VIDEO: "videos",
};

/**
 * The profile's JSON columns as maps: topCreators `[{userId, weight}]`, topTopics
 * `[{tag, weight}]`, contentTypePrefs `{photos, text, polls, videos}`. Malformed entries are
 * skipped and a missing share counts 0, so a damaged row degrades the ranking, never breaks it.
 */
export function parseAffinity(
  topCreators: unknown,
  topTopics: unknown,
  contentTypePrefs: unknown,
): ViewerAffinity {
  const prefs = isRecord(contentTypePrefs) ? contentTypePrefs : {};
  const share = (type: PostTypeName) => finiteOr0(prefs[TYPE_KEYS[type]]);
  return {
    creators: weightsBy(topCreators, "userId"),
    topics: weightsBy(topTopics, "tag"),
    contentTypes: {
      PHOTO: share("PHOTO"),
      TEXT: share("TEXT"),
      POLL: share("POLL"),
      VIDEO: share("VIDEO"),
    },
  };
}

function weightsBy(entries: unknown, key: "userId" | "tag"): Map<string, number> {
  const weights = new Map<string, number>();
  if (!Array.isArray(entries)) return weights;
  for (const entry of entries) {
    if (!isRecord(entry)) continue;
    const id = entry[key];
    const weight = entry.weight;
    if (typeof id === "string" && typeof weight === "number" && Number.isFinite(weight)) {
      weights.set(id, weight);
    }
  }
  return weights;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const finiteOr0 = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) ? value : 0;
