-- POST /api/v1/escrow as devices send it.
-- With LK_CREDENTIALS (a file of "computer credential" lines of enrolled devices): each request is
-- an enrolled device's escrow of a new volume and key, the devices taken in turn.
-- Without it: every request a new computer, volume and key, sent with the enrollment token LK_TOKEN
-- as clients before per-device enrollment do (each computer then becomes a legacy device first).
-- Secrets come from the environment or a file, never the command line; LK_RUN names this run.
dofile("bench/lua/report.lua")

local token = os.getenv("LK_TOKEN")
local run = os.getenv("LK_RUN") or "RUN"
local counter = 0
local hex = "0123456789ABCDEF"

local function randomHex(n)
  local t = {}
  for i = 1, n do
    local r = math.random(1, 16)
    t[i] = hex:sub(r, r)
  end
  return table.concat(t)
end

local function guid()
  return randomHex(8) .. "-" .. randomHex(4) .. "-" .. randomHex(4) .. "-" .. randomHex(4) .. "-" .. randomHex(12)
end

-- Eight blocks of six digits, each a multiple of 11 below 720896, as BitLocker makes them.
local function recoveryPassword()
  local blocks = {}
  for i = 1, 8 do
    blocks[i] = string.format("%06d", math.random(0, 65535) * 11)
  end
  return table.concat(blocks, "-")
end

local devices = {}

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
  local file = os.getenv("LK_CREDENTIALS")
  if file then
    for line in io.lines(file) do
      local computer, credential = line:match("^(%S+) (%S+)$")
      devices[#devices + 1] = {computer = computer, credential = credential}
    end
  end
end

function request()
  counter = counter + 1
  local name = "LOAD-" .. run .. "-" .. (tid or 0) .. "-" .. counter
  local computer = name .. ".corp.example.com"
  local bearer = token
  if #devices > 0 then
    local device = devices[(counter % #devices) + 1]
    computer = device.computer
    bearer = device.credential
  end
  local body = '{"computer":"' .. computer .. '","volumeId":"' .. string.lower(guid())
    .. '","volumeType":"OperatingSystem","driveLabel":"' .. name .. ' C: 11/23/2026","recoveryPasswordId":"{' .. guid()
    .. '}","recoveryPassword":"' .. recoveryPassword() .. '","users":["CORP\\\\alice"],"createdAt":"2026-11-23T10:15:00Z"}'
  return wrk.format("POST", "/api/v1/escrow",
    {["Authorization"] = "Bearer " .. bearer, ["Content-Type"] = "application/json"}, body)
end
