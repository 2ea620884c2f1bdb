import { type Command, Option } from "commander";
import type { PopulationLayout } from "../demo/seed.ts";
import { POPULATION_SHAPES, type PopulationShape } from "../demo/shape.ts";
import { trendingConfig } from "../jobs/trending/config.ts";
import { positiveInt } from "./parse.ts";

export interface PopulationFlags {
  shape: PopulationShape;
  windowPosts?: number;
}

/** The demo population's layout options, shared by `db seed` and `pnpm bench`. */
export function addPopulationOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--shape <shape>",
        "where users live: spread over 8 cities, or 85% in one metro area",
      )
        .choices(POPULATION_SHAPES)
        .default("spread"),
    )
    .option(
      "--window-posts <n>",
      "at least this many posts in the trending job's default window (the last 48 h)",
      positiveInt,
    );
}

/** The layout the flags ask for; the window is the trending job's default `windowHours`. */
export function populationLayout(flags: PopulationFlags): PopulationLayout {
  const hours = trendingConfig.parse({}).windowHours;
  return {
    shape: flags.shape,
    ...(flags.windowPosts ? { recentPosts: { posts: flags.windowPosts, hours } } : {}),
  };
}
