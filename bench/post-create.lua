-- wrk script for POST /v1/posts: a JSON body and the bearer token from $TOKEN. The same
-- request as the FastAPI anchor's post.lua (shared/anchors/fastapi-ref), so the two compare.
local token = os.getenv("TOKEN")
if token == nil or token == "" then
  error("set TOKEN to a bearer token (bench/seed.py prints one)")
end
wrk.method = "POST"
wrk.body = '{"title":"wrk post","content":"created by the benchmark","published":true}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
