import type { Tag } from "./vocabulary.ts";

/** Caption material per interest: "what I did | what I did | noun phrase | highlight". */
const RAW: Record<Tag, string> = {
  movies:
    "caught a late screening at the indie cinema|rewatched an old favourite|movies|best film of the year",
  music:
    "found a new album on repeat|spent the evening digging through vinyl|new music|absolute banger",
  dining:
    "tried the new ramen place near {spot}|had dinner at a tiny spot in {spot}|eating out|best meal in months",
  reading:
    "finished a book in one sitting|read in the park at {spot} all afternoon|books|best book ever",
  travel: "just got back from a week in Lisbon|booked a last-minute trip|travel|best trip so far",
  museums:
    "spent the afternoon at the modern art museum|went to the natural history museum|museums|best exhibit ever",
  theater:
    "saw a play in a tiny theatre|went to opening night of a new show|theatre|best show this season",
  concerts:
    "saw a band play a packed show|went to an outdoor concert at {spot}|live music|best gig ever",
  art: "painted all Sunday|went gallery hopping around {spot}|art|best studio day",
  cooking:
    "cooked a three-course dinner for friends|made pasta from scratch|cooking|best risotto ever",
  sports: "played pickup at {spot}|joined a rec league game|sports|best game of the season",
  exercise:
    "hit a new personal best at the gym|did a brutal HIIT class|working out|best session yet",
  coffee: "found the best flat white near {spot}|tried a new roaster|coffee|best cup in town",
  hiking: "went hiking at {spot}|hiked up to the ridge at sunrise|hiking|best trail ever",
  photography:
    "shot a roll of film around {spot}|caught golden hour at {spot}|photography|best light all year",
  clubbing: "danced until 4am|went out to a warehouse party|going out|best night out",
  shopping: "found a perfect vintage jacket|went thrifting around {spot}|shopping|best find ever",
  tv: "binged a whole season in a weekend|started a new series|tv shows|best finale ever",
  wine: "went to a natural wine bar in {spot}|did a tasting with friends|wine|best bottle so far",
  dogs: "took the dog to {spot}|spent the day at the dog park|dogs|best boy ever",
  running: "ran 10k along {spot}|did an early run before work|running|best pace yet",
  yoga: "did a sunrise yoga class|went to hot yoga after work|yoga|best class ever",
  tv_sports: "watched the derby at a packed bar|stayed up for the final|the game|best match ever",
  gaming: "stayed up way too late gaming|finally beat the final boss|gaming|best game this year",
  dancing: "took a salsa class|went swing dancing near {spot}|dancing|best dance night",
  craft_beer:
    "tried a hazy IPA at a brewery in {spot}|did a brewery crawl|craft beer|best pint in town",
  comedy: "went to a stand-up open mic|laughed nonstop at a comedy show|comedy|best set ever",
  podcasts:
    "listened to a whole podcast series on a walk|found a great new podcast|podcasts|best episode",
  festivals:
    "spent the weekend at a music festival|went to a street festival in {spot}|festivals|best lineup",
  board_games:
    "played board games until midnight|learned a new strategy game|board games|best game night",
  cycling: "biked along {spot}|did a 60k ride|cycling|best ride ever",
  camping: "camped under the stars|went camping an hour outside town|camping|best campsite ever",
  soccer: "played five-a-side at {spot}|scored in Sunday league|football|best goal of my life",
  basketball: "shot hoops at {spot}|played a full-court game|basketball|best game in weeks",
  cats: "spent the day with my cat on my lap|adopted a kitten|cats|cutest cat ever",
  baking: "baked sourdough for the first time|made cinnamon buns|baking|best loaf yet",
  fashion: "put together a new fit|went to a pop-up sample sale|fashion|best outfit ever",
  climbing:
    "sent my first V5 at the climbing gym|went bouldering near {spot}|climbing|best send ever",
  anime: "marathoned a whole anime series|went to an anime screening|anime|best arc ever",
  surfing: "caught some waves at {spot}|paddled out at dawn|surfing|best swell all summer",
  writing: "wrote 2,000 words this morning|finished a short story|writing|best draft so far",
  gardening:
    "planted tomatoes on the balcony|spent the day in the community garden|gardening|best harvest",
  meditation:
    "did a silent meditation morning|kept a ten-day meditation streak|meditation|calmest week",
  volunteering: "volunteered at the food bank|helped clean up {spot}|volunteering|best Saturday",
};

export interface TagPhrases {
  did: readonly [string, string];
  noun: string;
  highlight: string;
}

function parse(tag: string, raw: string): TagPhrases {
  const [a = "", b = "", noun = tag, highlight = "so good"] = raw.split("|");
  return { did: [a, b], noun, highlight };
}

export const PHRASES: Record<Tag, TagPhrases> = Object.fromEntries(
  Object.entries(RAW).map(([tag, raw]) => [tag, parse(tag, raw)]),
) as Record<string, TagPhrases> as Record<Tag, TagPhrases>;

export const REACTIONS = [
  "Totally worth it.",
  "10/10 would do again.",
  "Still smiling.",
  "Need to do this more often.",
  "Who's in next time?",
  "Highly recommend.",
  "My legs hate me.",
  "Perfect weekend.",
  "Honestly the highlight of my month.",
];

export const WHEN = ["this weekend", "tonight", "on Saturday", "next week", "sometime soon"];

export const EMOJI_ONLY = [
  "🔥🔥🔥",
  "😍",
  "🙌✨",
  "🎶🎉",
  "🌄",
  "😂😂😂",
  "❤️",
  "🥂",
  "☕️🌧️",
  "🏃‍♀️💨",
];

export const EMOJI = ["🔥", "😍", "🙌", "✨", "😂", "🎉", "☀️", "💪", "🍷", "📸"];
