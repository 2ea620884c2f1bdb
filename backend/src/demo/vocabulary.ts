/** Fixed vocabularies of the demo data: cities, interests and their clusters, attributes, names. */

export interface City {
  name: string;
  slug: string;
  lat: number;
  lon: number;
  /** Share of users living there (unnormalised). */
  weight: number;
  /** Local spots that captions mention. */
  spots: readonly string[];
}

export const CITIES: readonly City[] = [
  {
    name: "San Francisco",
    slug: "sf",
    lat: 37.7749,
    lon: -122.4194,
    weight: 26,
    spots: ["Point Reyes", "Dolores Park", "the Mission", "Ocean Beach", "Mount Tam"],
  },
  {
    name: "New York",
    slug: "nyc",
    lat: 40.7128,
    lon: -74.006,
    weight: 20,
    spots: ["Prospect Park", "the Lower East Side", "Williamsburg", "the High Line"],
  },
  {
    name: "London",
    slug: "london",
    lat: 51.5074,
    lon: -0.1278,
    weight: 15,
    spots: ["Hampstead Heath", "Shoreditch", "the South Bank", "Peckham"],
  },
  {
    name: "Berlin",
    slug: "berlin",
    lat: 52.52,
    lon: 13.405,
    weight: 10,
    spots: ["Tempelhofer Feld", "Kreuzberg", "Mauerpark", "Neukölln"],
  },
  {
    name: "São Paulo",
    slug: "sampa",
    lat: -23.5505,
    lon: -46.6333,
    weight: 9,
    spots: ["Ibirapuera", "Vila Madalena", "Avenida Paulista", "Pinheiros"],
  },
  {
    name: "Sydney",
    slug: "sydney",
    lat: -33.8688,
    lon: 151.2093,
    weight: 7,
    spots: ["Bondi", "Manly", "Surry Hills", "the Royal Botanic Garden"],
  },
  {
    name: "Toronto",
    slug: "toronto",
    lat: 43.6532,
    lon: -79.3832,
    weight: 8,
    spots: ["Trinity Bellwoods", "Kensington Market", "the Beaches", "High Park"],
  },
  {
    name: "Mumbai",
    slug: "mumbai",
    lat: 19.076,
    lon: 72.8777,
    weight: 5,
    spots: ["Marine Drive", "Bandra", "Juhu Beach", "Colaba"],
  },
];

/**
 * Interest tags, most popular first (the order drives a Zipf-like popularity). The first
 * seventeen follow the speed-dating activity ratings; the rest broaden the vocabulary.
 */
export const TAGS = [
  "movies",
  "music",
  "dining",
  "reading",
  "travel",
  "museums",
  "theater",
  "concerts",
  "art",
  "cooking",
  "sports",
  "exercise",
  "coffee",
  "hiking",
  "photography",
  "clubbing",
  "shopping",
  "tv",
  "wine",
  "dogs",
  "running",
  "yoga",
  "tv_sports",
  "gaming",
  "dancing",
  "craft_beer",
  "comedy",
  "podcasts",
  "festivals",
  "board_games",
  "cycling",
  "camping",
  "soccer",
  "basketball",
  "cats",
  "baking",
  "fashion",
  "climbing",
  "anime",
  "surfing",
  "writing",
  "gardening",
  "meditation",
  "volunteering",
] as const;
export type Tag = (typeof TAGS)[number];

/** Correlated interest clusters: a user leans towards one or two of them. */
export const CLUSTERS: readonly (readonly Tag[])[] = [
  // arts
  ["museums", "theater", "art", "concerts", "reading", "photography", "writing", "comedy"],
  // sports
  ["sports", "exercise", "running", "cycling", "climbing", "soccer", "basketball", "tv_sports"],
  // nightlife
  ["clubbing", "concerts", "dancing", "craft_beer", "wine", "festivals", "music", "dining"],
  // homebody
  ["tv", "gaming", "movies", "board_games", "anime", "cooking", "baking", "cats", "podcasts"],
  // outdoors
  ["hiking", "camping", "surfing", "travel", "photography", "dogs", "gardening", "cycling"],
  // foodie
  ["dining", "cooking", "coffee", "wine", "baking", "craft_beer", "travel", "shopping"],
  // wellness
  ["yoga", "meditation", "running", "gardening", "volunteering", "reading", "hiking"],
];

/** Lifestyle facts that profiles carry and that dealbreakers and preferences refer to. */
export const ATTRIBUTES = [
  "smokes",
  "drinks",
  "cannabis",
  "has_kids",
  "wants_kids",
  "pets",
  "vegetarian",
  "vegan",
  "religious",
  "active",
  "night_owl",
  "early_riser",
  "travels_often",
  "student",
] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

const words = (text: string): readonly string[] => text.trim().split(/\s+/);

export const WOMEN_NAMES = words(`
  Maya Sofia Olivia Emma Ava Zoë Chloé Priya Aisha Hannah Lucía Mei Grace Isabela Fatima Nora
  Leah Ananya Camila Julia Amara Ingrid Yuki Rosa Sarah Lena Beatriz Kavya Ellie Naomi`);

export const MEN_NAMES = words(`
  Liam Noah Lucas Mateo Arjun Ethan James Omar Felix Daniel Søren Kenji Rafael Leon Samuel Ravi
  Tomás Ben Jonas Marcus Kwame Diego Oliver Henry Vikram Luca Theo Hugo Andrés Jack`);

export const NEUTRAL_NAMES = words(`
  Alex Sam Jordan Taylor Riley Casey Robin Quinn Avery Kai Rowan Sasha Eden Noa Ari`);

export const SURNAME_INITIALS = "ABCDEFGHIJKLMNOPRSTVWYZ";
