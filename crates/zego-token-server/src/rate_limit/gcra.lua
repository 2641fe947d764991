-- One GCRA step on one bucket, atomically (src/rate_limit/mod.rs has the semantics).
--
-- KEYS[1]  the bucket: its value is the time (microseconds on Redis's clock) at which it
--          is full again; it expires then (PX), so a full bucket takes no memory.
-- ARGV[1]  interval between two tokens, nanoseconds (integer)
-- ARGV[2]  depth of the bucket (burst x interval), nanoseconds (integer)
-- ARGV[3]  optional: "now" in microseconds, for tests on a stepped clock; normally
--          absent and the time is Redis's own TIME, one clock for every replica.
-- Returns  0 when a token was taken, else the wait in microseconds (>= 1).
--
-- TIME is non-deterministic: scripts are replicated by their effects (the SET below
-- with its computed value), the only mode of Redis 7 and the default since 5.0; the
-- call below asks for it on 3.2-4.x and is a no-op where it is deprecated.
if redis.replicate_commands then
  redis.replicate_commands()
end

local interval = tonumber(ARGV[1]) / 1000
local depth = tonumber(ARGV[2]) / 1000
local now
if ARGV[3] then
  now = tonumber(ARGV[3])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end

local full_at = tonumber(redis.call('GET', KEYS[1]))
if full_at == nil or full_at < now then
  full_at = now
end
local next_full = full_at + interval
if next_full - now <= depth then
  -- Microseconds since 1970 are ~1.8e15, exact in a double; %.3f keeps sub-microsecond
  -- intervals (rates above 1e6/s) from drifting.
  redis.call('SET', KEYS[1], string.format('%.3f', next_full),
    'PX', math.max(1, math.ceil((next_full - now) / 1000)))
  return 0
end
return math.max(1, math.ceil(next_full - now - depth))
