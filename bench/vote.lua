-- wrk script for POST /v1/vote that never conflicts: every request is a 201.
--
-- Environment: TOKEN (bearer token of a user with no votes on these posts), VOTE_IDS (a
-- file of post ids the user can see, one per line; bench/seed.py --vote-ids-out writes it)
-- and VOTE_THREADS (wrk's -t).
--
-- setup() gives each wrk thread its own contiguous slice of the ids (thread:set), so two
-- threads never touch the same post. Request n of a thread votes on ids[n mod N] of its
-- slice of N posts: dir 1 on even passes over the slice and dir 0 on odd passes. A post's
-- dir 1 and its dir 0 are N requests apart, so the few requests in flight on the thread's
-- connections cannot be reordered into a 409 (voted twice) or a 404 (no vote to take back).
-- Every wrk run must use a user that starts with no votes on the slice: the warm-up run
-- uses another user than the measured one.
--
-- wrk 4 calls request() once on its first thread to check the script, before any
-- connection, and never sends that request: the first thread answers that call with a
-- dummy request so that its sequence starts at n = 0 like the others'.

local token = os.getenv("TOKEN")
local ids_file = os.getenv("VOTE_IDS")
local threads = tonumber(os.getenv("VOTE_THREADS") or "")
if token == nil or token == "" then error("set TOKEN to a bearer token") end
if ids_file == nil or ids_file == "" then error("set VOTE_IDS to a file of post ids") end
if threads == nil or threads < 1 then error("set VOTE_THREADS to wrk's -t") end

local function read_ids()
  local ids = {}
  for line in io.lines(ids_file) do
    local id = tonumber(line)
    if id then ids[#ids + 1] = id end
  end
  return ids
end

-- setup() runs once per wrk thread, in wrk's main Lua state, before any request.
local next_slice = 0
local total = nil
function setup(thread)
  if total == nil then
    total = #read_ids()
    if total < 2 * threads then
      error("VOTE_IDS has " .. total .. " ids: at least 2 per thread are needed")
    end
  end
  local per = math.floor(total / threads)
  thread:set("slice_index", next_slice)
  thread:set("first", next_slice * per + 1)
  thread:set("last", (next_slice + 1) * per)
  next_slice = next_slice + 1
end

-- In each thread's own Lua state: the slice set by setup().
local slice = {}
local n = 0
local headers = {}

function init(args)
  local ids = read_ids()
  for i = first, last do slice[#slice + 1] = ids[i] end
  if slice_index == 0 then n = -1 end
  headers["Content-Type"] = "application/json"
  headers["Authorization"] = "Bearer " .. token
end

function request()
  if n < 0 then
    n = 0
    return wrk.format("POST", "/v1/vote", headers, "{}")
  end
  local count = #slice
  local index = n % count
  local dir = (math.floor(n / count) % 2 == 0) and 1 or 0
  n = n + 1
  return wrk.format("POST", "/v1/vote", headers,
    string.format('{"post_id":%d,"dir":%d}', slice[index + 1], dir))
end
