/**
 * The rate-limit algorithm: GCRA (generic cell rate algorithm) in one atomic Lua script, loaded with ioredis
 * `defineCommand` (EVALSHA, falling back to EVAL after a Redis restart flushed the script cache).
 *
 * A policy allows `limit` requests per `windowS` seconds, with bursts up to `limit`. Each identity key stores
 * one number, its TAT (theoretical arrival time, microseconds on the Redis clock). A request is allowed when
 * `now >= TAT + T - W` (T = W / limit, the emission interval); allowing it moves TAT to `max(TAT, now) + T`.
 * The key expires when TAT passes, so an idle client costs nothing. Several keys (client IP, API key) are
 * checked together: the request is allowed only if every key allows it, and only then are all updated.
 * Time comes from Redis (`TIME`), so app instances with skewed clocks agree.
 */
import type { Redis } from "ioredis";

const GCRA_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local allowed = 1
local remaining = -1
local retry = 0
local reset = 0
local tats = {}
for i, key in ipairs(KEYS) do
  local tat = tonumber(redis.call('GET', key)) or now
  if tat < now then tat = now end
  local new_tat = tat + interval
  local diff = now - (new_tat - window)
  tats[i] = new_tat
  if diff < 0 then
    allowed = 0
    if -diff > retry then retry = -diff end
    if tat - now > reset then reset = tat - now end
  else
    local r = math.floor(diff / interval + 1e-9)
    if remaining < 0 or r < remaining then remaining = r end
    if new_tat - now > reset then reset = new_tat - now end
  end
end
if allowed == 1 then
  for i, key in ipairs(KEYS) do
    redis.call('SET', key, string.format('%.0f', tats[i]), 'PX', math.max(1, math.ceil((tats[i] - now) / 1000)))
  end
else
  remaining = 0
end
return {allowed, remaining, math.ceil(retry / 1000), math.ceil(reset / 1000)}
`;

/** The outcome of one check. Times in milliseconds. */
export interface GcraResult {
  allowed: boolean;
  /** Requests still allowed right now (after this one, if it was allowed). */
  remaining: number;
  /** When rejected: wait this long before the next request can pass. 0 when allowed. */
  retryAfterMs: number;
  /** Until the quota is fully available again. */
  resetMs: number;
}

type WithGcra = Redis & {
  meridianGcra(numKeys: number, ...args: (string | number)[]): Promise<[number, number, number, number]>;
};

/**
 * Registers the script on `client` (idempotent). Call it when the client is set up (createApp does), before
 * any command: see cache/store.ts `defineCacheScripts` for why (auto-pipelining, redis/ioredis#1931).
 */
export function defineGcra(client: Redis): WithGcra {
  const c = client as WithGcra;
  if (typeof c.meridianGcra !== "function") c.defineCommand("meridianGcra", { lua: GCRA_LUA });
  return c;
}

/**
 * One GCRA check against every key in `keys` (at least one): `limit` requests per `windowS` seconds.
 * Rejects when Redis fails (callers decide fail-open/closed).
 */
export async function gcra(
  client: Redis,
  keys: string[],
  limit: number,
  windowS: number,
): Promise<GcraResult> {
  const windowUs = windowS * 1_000_000;
  const intervalUs = windowUs / limit;
  const [allowed, remaining, retryAfterMs, resetMs] = await defineGcra(client).meridianGcra(
    keys.length,
    ...keys,
    intervalUs.toFixed(3),
    String(windowUs),
  );
  return { allowed: allowed === 1, remaining, retryAfterMs, resetMs };
}
