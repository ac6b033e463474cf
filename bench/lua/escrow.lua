-- POST /api/v1/escrow as devices send it: every request a new computer, volume and key.
-- LK_TOKEN: the enrollment token (from the environment, never the command line); LK_RUN: names this run.
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

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
end

function request()
  counter = counter + 1
  local name = "LOAD-" .. run .. "-" .. (tid or 0) .. "-" .. counter
  local body = '{"computer":"' .. name .. '.corp.example.com","volumeId":"' .. string.lower(guid())
    .. '","volumeType":"OperatingSystem","driveLabel":"' .. name .. ' C: 11/23/2026","recoveryPasswordId":"{' .. guid()
    .. '}","recoveryPassword":"' .. recoveryPassword() .. '","users":["CORP\\\\alice"],"createdAt":"2026-11-23T10:15:00Z"}'
  return wrk.format("POST", "/api/v1/escrow",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
