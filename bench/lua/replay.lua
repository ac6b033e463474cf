-- Sends requests picked at random from LK_REQUESTS, a file with one request per line:
-- METHOD <tab> PATH [<tab> JSON BODY]. LK_TOKEN: the bearer token (from the environment).
dofile("bench/lua/report.lua")

local token = os.getenv("LK_TOKEN")
local prepared = {}

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
  for line in io.lines(os.getenv("LK_REQUESTS")) do
    local method, path, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
    local headers = {["Authorization"] = "Bearer " .. token}
    if body == "" then
      body = nil
    else
      headers["Content-Type"] = "application/json"
    end
    prepared[#prepared + 1] = wrk.format(method, path, headers, body)
  end
end

function request()
  return prepared[math.random(1, #prepared)]
end
