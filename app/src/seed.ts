/**
 * Realistic sample data for local runs and benchmarks: businesses across Dominican Republic provinces, placed
 * around real city centres, with Spanish names (accents included, so accent-insensitive search matters).
 * Deterministic for a given seed, so benchmark runs are comparable.
 */
import type { Sql } from "./db";

export interface City {
  name: string;
  lat: number;
  lng: number;
}

export const PROVINCES: { name: string; cities: City[] }[] = [
  {
    name: "Distrito Nacional",
    cities: [{ name: "Santo Domingo de Guzmán", lat: 18.4861, lng: -69.9312 }],
  },
  {
    name: "Santo Domingo",
    cities: [
      { name: "Santo Domingo Este", lat: 18.4885, lng: -69.8573 },
      { name: "Santo Domingo Norte", lat: 18.5535, lng: -69.9054 },
      { name: "Santo Domingo Oeste", lat: 18.5006, lng: -69.9848 },
      { name: "Boca Chica", lat: 18.4539, lng: -69.6064 },
    ],
  },
  {
    name: "Santiago",
    cities: [
      { name: "Santiago de los Caballeros", lat: 19.4517, lng: -70.697 },
      { name: "Tamboril", lat: 19.4856, lng: -70.6113 },
    ],
  },
  {
    name: "La Altagracia",
    cities: [
      { name: "Higüey", lat: 18.6154, lng: -68.7072 },
      { name: "Punta Cana", lat: 18.5601, lng: -68.3725 },
    ],
  },
  {
    name: "Puerto Plata",
    cities: [
      { name: "San Felipe de Puerto Plata", lat: 19.7934, lng: -70.6884 },
      { name: "Sosúa", lat: 19.7519, lng: -70.5176 },
    ],
  },
  { name: "La Romana", cities: [{ name: "La Romana", lat: 18.4273, lng: -68.9728 }] },
  { name: "San Pedro de Macorís", cities: [{ name: "San Pedro de Macorís", lat: 18.4539, lng: -69.3086 }] },
  {
    name: "La Vega",
    cities: [
      { name: "Concepción de La Vega", lat: 19.2221, lng: -70.5296 },
      { name: "Jarabacoa", lat: 19.1167, lng: -70.6333 },
    ],
  },
  { name: "Duarte", cities: [{ name: "San Francisco de Macorís", lat: 19.3008, lng: -70.2526 }] },
  { name: "San Cristóbal", cities: [{ name: "San Cristóbal", lat: 18.4167, lng: -70.1 }] },
  {
    name: "Samaná",
    cities: [
      { name: "Santa Bárbara de Samaná", lat: 19.2056, lng: -69.3369 },
      { name: "Las Terrenas", lat: 19.3114, lng: -69.5428 },
    ],
  },
  { name: "Barahona", cities: [{ name: "Santa Cruz de Barahona", lat: 18.2085, lng: -71.1008 }] },
  { name: "Monseñor Nouel", cities: [{ name: "Bonao", lat: 18.9367, lng: -70.4092 }] },
  { name: "Espaillat", cities: [{ name: "Moca", lat: 19.3941, lng: -70.5252 }] },
  { name: "Azua", cities: [{ name: "Azua de Compostela", lat: 18.4532, lng: -70.7349 }] },
  { name: "Peravia", cities: [{ name: "Baní", lat: 18.2796, lng: -70.3318 }] },
];

export const CATEGORIES: { slug: string; nouns: string[]; blurb: string }[] = [
  {
    slug: "restaurante",
    nouns: ["Restaurante", "Comedor", "Fonda"],
    blurb: "comida criolla, mofongo y sancocho",
  },
  { slug: "cafeteria", nouns: ["Café", "Cafetería"], blurb: "café dominicano recién colado y desayunos" },
  {
    slug: "panaderia",
    nouns: ["Panadería", "Repostería"],
    blurb: "pan de agua, bizcochos y dulces de leche",
  },
  { slug: "colmado", nouns: ["Colmado", "Minimarket"], blurb: "víveres, bebidas y entregas a domicilio" },
  { slug: "farmacia", nouns: ["Farmacia", "Botica"], blurb: "medicamentos, recetas y productos de salud" },
  { slug: "ferreteria", nouns: ["Ferretería"], blurb: "herramientas, materiales de construcción y pintura" },
  {
    slug: "salon-belleza",
    nouns: ["Salón", "Estética", "Peluquería"],
    blurb: "cortes, tintes, uñas y tratamientos",
  },
  { slug: "taller", nouns: ["Taller", "Mecánica"], blurb: "reparación de vehículos, gomas y aceite" },
  { slug: "hotel", nouns: ["Hotel", "Hostal", "Posada"], blurb: "habitaciones, piscina y cerca de la playa" },
  {
    slug: "clinica",
    nouns: ["Clínica", "Centro Médico", "Consultorio"],
    blurb: "consultas, laboratorio y emergencias",
  },
  {
    slug: "tecnologia",
    nouns: ["Tecnología", "Celulares", "Informática"],
    blurb: "reparación de celulares y computadoras",
  },
  {
    slug: "educacion",
    nouns: ["Colegio", "Academia", "Instituto"],
    blurb: "clases de inglés, tutorías y cursos técnicos",
  },
];

const SURNAMES = [
  "Peña",
  "Rodríguez",
  "Núñez",
  "Martínez",
  "Pérez",
  "Gómez",
  "Jiménez",
  "Báez",
  "Guzmán",
  "Espaillat",
  "Fernández",
  "Álvarez",
  "Díaz",
  "Reyes",
  "Santana",
  "Castillo",
  "Ramírez",
  "Mejía",
  "Tavárez",
  "Cabral",
];
const ADJECTIVES = [
  "El Buen Sabor",
  "La Esquina",
  "El Sol",
  "La Bendición",
  "Don Pancho",
  "Doña María",
  "El Progreso",
  "La Fe",
  "Caribe",
  "Quisqueya",
  "Bávaro",
  "El Cibao",
  "Los Pinos",
  "La Palma",
  "San José",
  "Mi País",
];

/** Mulberry32: a tiny deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedBusiness {
  name: string;
  description: string;
  category: string;
  province: string;
  city: string;
  address: string;
  phone: string;
  lat: number;
  lng: number;
}

export function generateBusinesses(count: number, seed = 42): SeedBusiness[] {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const out: SeedBusiness[] = [];
  for (let i = 0; i < count; i++) {
    // Weight the capital region: about half of the businesses are in Gran Santo Domingo or Santiago.
    const province = rnd() < 0.5 ? PROVINCES[Math.floor(rnd() * 3)] : pick(PROVINCES);
    const city = pick(province.cities);
    const cat = pick(CATEGORIES);
    const name = `${pick(cat.nouns)} ${rnd() < 0.5 ? pick(ADJECTIVES) : pick(SURNAMES)}${rnd() < 0.3 ? ` ${pick(SURNAMES)}` : ""}`;
    // Scatter within ~6 km of the city centre (denser near the centre).
    const r = 0.055 * Math.sqrt(rnd());
    const theta = rnd() * 2 * Math.PI;
    out.push({
      name,
      description: `${cat.nouns[0]} en ${city.name}: ${cat.blurb}.`,
      category: cat.slug,
      province: province.name,
      city: city.name,
      address: `Calle ${pick(SURNAMES)} #${1 + Math.floor(rnd() * 250)}`,
      phone: `+1 ${pick(["809", "829", "849"])}-${String(200 + Math.floor(rnd() * 800))}-${String(Math.floor(rnd() * 10000)).padStart(4, "0")}`,
      lat: round6(city.lat + r * Math.sin(theta)),
      lng: round6(city.lng + (r * Math.cos(theta)) / Math.cos((city.lat * Math.PI) / 180)),
    });
  }
  return out;
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** Insert `rows` in batches, one INSERT ... SELECT FROM jsonb_to_recordset per batch. Returns the count. */
export async function insertBusinesses(sql: Sql, rows: SeedBusiness[], batchSize = 5000): Promise<number> {
  for (let i = 0; i < rows.length; i += batchSize) {
    const batch = JSON.stringify(rows.slice(i, i + batchSize));
    await sql`
      INSERT INTO businesses (name, description, category, province, city, address, phone, location)
      SELECT name, description, category, province, city, address, phone,
             ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography
      FROM jsonb_to_recordset(${batch}::text::jsonb) AS t(
        name text, description text, category text, province text, city text, address text, phone text,
        lat float8, lng float8)`;
  }
  return rows.length;
}

/** `seed` command: add `count` generated businesses (optionally after deleting all), then ANALYZE. */
export async function seed(
  sql: Sql,
  count: number,
  opts: { reset?: boolean; seed?: number } = {},
): Promise<number> {
  if (opts.reset) await sql`TRUNCATE businesses`;
  const n = await insertBusinesses(sql, generateBusinesses(count, opts.seed ?? 42));
  await sql`ANALYZE businesses`;
  return n;
}
