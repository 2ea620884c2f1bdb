export * from "./affinity/index.ts";
