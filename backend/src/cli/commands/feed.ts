import type { Database } from "@feed-jobs/db";
import {
  FEED_FACTORS,
  FEED_POLICY,
  type FeedFactor,
  type FeedPage,
  InvalidCursorError,
  rankFeed,
} from "@feed-jobs/feed";
import type { Command } from "commander";
import { assertUserExists, withDatabase } from "../database.ts";
import { type Cli, table, UsageError } from "../io.ts";
import { isoTime, positiveInt } from "../parse.ts";

export interface FeedFlags {
  userId: string;
  /** Default 20. */
  limit: number;
  cursor?: string;
  allowNsfw?: boolean;
  /** Default: the wall clock. */
  asOf?: Date;
  json?: boolean;
}

/** `feed --user-id U`: the viewer's ranked, explained feed, one page at a time. */
export function registerFeedCommand(program: Command, { io }: Cli): void {
  program
    .command("feed")
    .description("Rank a viewer's feed from the precomputed tables and explain every score")
    .requiredOption("--user-id <id>", "the viewer")
    .option(
      "--limit <n>",
      `items per page, at most ${FEED_POLICY.maxLimit} (default ${FEED_POLICY.defaultLimit})`,
      positiveInt,
      FEED_POLICY.defaultLimit,
    )
    .option("--cursor <cursor>", "continue after a page (its `next cursor`)")
    .option("--allow-nsfw", "serve posts flagged nsfw (default: filtered out)")
    .option("--as-of <time>", "rank as if now were this ISO time (default: now)", isoTime)
    .option("--json", "print the page as JSON")
    .action(async (flags: FeedFlags) => {
      const page = await withDatabase((db) => showFeed(db, flags));
      io.out(flags.json ? JSON.stringify(page, null, 2) : formatFeed(page));
    });
}

/** The command's logic without Commander: checks the viewer, ranks one page. */
export async function showFeed(db: Database, flags: Omit<FeedFlags, "json">): Promise<FeedPage> {
  await assertUserExists(db, flags.userId);
  try {
    return await rankFeed(db, flags.userId, {
      now: flags.asOf ?? new Date(),
      limit: flags.limit,
      ...(flags.cursor ? { cursor: flags.cursor } : {}),
      allowNsfw: flags.allowNsfw === true,
    });
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new UsageError(`--cursor: ${error.message}`);
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
}

/** Column headers of the factor contributions, in FEED_FACTORS order. */
const FACTOR_HEADERS: Record<FeedFactor, string> = {
  creatorAffinity: "creator",
  topicAffinity: "topics",
  typeAffinity: "typepref",
  compatibility: "compat",
  match: "match",
  trending: "trend",
  quality: "quality",
  freshness: "fresh",
  seen: "seen",
};

const signed = (n: number) => (n === 0 ? "0" : n.toFixed(3));

export function formatFeed(page: FeedPage): string {
  const at = page.rankedAt.toISOString();
  if (page.viewerIneligible !== null) {
    return `No feed for ${page.viewerId} as of ${at}: not eligible (${page.viewerIneligible}).`;
  }
  const state = page.viewerStateComputedAt?.toISOString() ?? "never computed (no filters applied)";
  const header = [
    `Feed for ${page.viewerId} as of ${at} — weights ${page.weightsVersion}, ` +
      `${page.coldStart ? "cold start (no affinity profile)" : "personalised"}, ` +
      `${page.candidates} candidates`,
    `Viewer state: ${state}`,
  ];
  if (page.items.length === 0) {
    return [...header, "", "No posts to show.", ...formatSuggestions(page)].join("\n");
  }
  const rows = page.items.map((item) => [
    String(item.rank),
    item.postId,
    item.authorId,
    item.type,
    `${((page.rankedAt.getTime() - item.createdAt.getTime()) / 3_600_000).toFixed(1)}h`,
    item.score.toFixed(3),
    ...FEED_FACTORS.map((factor) => signed(item.contributions[factor])),
  ]);
  const lines = [
    ...header,
    "Score = sum of the contributions (weight × factor; seen is subtracted; 0: no signal):",
    "",
    table(
      [
        "rank",
        "post",
        "author",
        "type",
        "age",
        "score",
        ...FEED_FACTORS.map((f) => FACTOR_HEADERS[f]),
      ],
      rows,
    ),
    "",
    page.nextCursor ? `next cursor: ${page.nextCursor}` : "End of feed.",
  ];
  return [...lines, ...formatSuggestions(page)].join("\n");
}

/** The suggested profiles that follow the first page, posts or not. */
function formatSuggestions(page: FeedPage): string[] {
  if (page.suggestions.length === 0) return [];
  return [
    "",
    "Suggested profiles (top MatchScores):",
    table(
      ["user", "score", "reasons"],
      page.suggestions.map((s) => [s.userId, s.score.toFixed(3), s.reasons.join(", ")]),
    ),
  ];
}
