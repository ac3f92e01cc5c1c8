/**
 * The seeded directory the API suites query: a fresh migrated database (fixture.ts) holding 3,000 generated
 * businesses (seed 7) plus three hand-written rows the search tests rely on, ANALYZEd, and every row's
 * id, name, category, place and coordinates read back for brute-force reference answers.
 */
import { generateBusinesses, insertBusinesses, type SeedBusiness } from "../src/seed";
import { createFixture, type Fixture } from "./fixture";

/** A seeded business as the suites compare against it (lat/lng in degrees, WGS 84). */
export interface DirectoryRow {
  id: string;
  name: string;
  lat: number;
  lng: number;
  category: string;
  province: string;
  city: string;
}

/** Hand-written rows the search tests rely on (the generated rows never use these words). */
export const KNOWN: SeedBusiness[] = [
  {
    name: "Café Quisqueyano Zúñiga",
    description: "Café de altura de Jarabacoa, colado al momento.",
    category: "cafeteria",
    province: "Distrito Nacional",
    city: "Santo Domingo de Guzmán",
    address: "Calle El Conde #1",
    phone: "+1 809-555-0101",
    lat: 18.4731,
    lng: -69.8846,
  },
  {
    name: "Librería Zúñiga",
    description: "Libros escolares; también servimos un café quisqueyano pequeño.",
    category: "educacion",
    province: "Santiago",
    city: "Santiago de los Caballeros",
    address: null as unknown as string,
    phone: null as unknown as string,
    lat: 19.451,
    lng: -70.69,
  },
  {
    name: "Zúñiga Repuestos del Norte",
    description: "Repuestos y accesorios.",
    category: "taller",
    province: "Puerto Plata",
    city: "Sosúa",
    address: "Carretera Sosúa-Cabarete",
    phone: "+1 829-555-0199",
    lat: 19.752,
    lng: -70.518,
  },
];

/** A valid create body for the admin write tests (no address: it is optional). */
export const newBusiness = {
  name: "Heladería Doña Ñeca",
  description: "Helados artesanales de chinola y coco.",
  category: "cafeteria",
  province: "La Romana",
  city: "La Romana",
  phone: "+1 809-555-0177",
  lat: 18.4273,
  lng: -68.9728,
};

/**
 * A fixture on a new database seeded as described above; the caller closes it (`f.close()`). If seeding
 * fails, the fixture is closed here before the error propagates.
 */
export async function seedDirectory(label: string): Promise<{ f: Fixture; all: DirectoryRow[] }> {
  const f = await createFixture(label);
  try {
    await insertBusinesses(f.sql, [...generateBusinesses(3000, 7), ...KNOWN]);
    await f.sql`ANALYZE businesses`;
    const all = await f.sql<
      DirectoryRow[]
    >`SELECT id, name, category, province, city, ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lng FROM businesses`;
    return { f, all };
  } catch (err) {
    await f.close();
    throw err;
  }
}
