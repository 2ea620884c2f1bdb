export { dailyDecay } from "./decay.ts";
export { normalizedEntropy } from "./entropy.ts";
