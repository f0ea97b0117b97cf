-- Neovim (0.7+) as a real LSP client of `connlint server`, run headless by .ci/neovim-test:
--   nvim --headless -i NONE -u tests/nvim/check_fixture.lua
-- Environment: CONNLINT_BIN (the binary), FIXTURE (a copy of a fixture to open), EXPECTED
-- (what `connlint check --format json FIXTURE` printed), and MODE: "diagnostics" compares
-- the buffer's diagnostics with the CLI's; "actions" also applies the quick fix for a
-- camelCase key and asks for completion inside `permissions` (SCHEMA: the schema file).
-- Neovim 0.7 has no vim.lsp.start, so the client is started and attached by hand.

local function fail(message)
  io.stderr:write("FAIL " .. (os.getenv("FIXTURE") or "?") .. ": " .. message .. "\n")
  vim.cmd("cquit 1")
end

local function read_json(path)
  return vim.fn.json_decode(table.concat(vim.fn.readfile(path), "\n"))
end

local bin, fixture, mode = os.getenv("CONNLINT_BIN"), os.getenv("FIXTURE"), os.getenv("MODE")
local expected = read_json(os.getenv("EXPECTED"))

vim.cmd("edit " .. vim.fn.fnameescape(fixture))
local buf = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(buf)
local publications = 0

local client_id = vim.lsp.start_client({
  name = "connlint",
  cmd = { bin, "server" },
  root_dir = vim.fn.fnamemodify(fixture, ":h"),
  handlers = {
    ["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      if result.uri == uri then
        publications = publications + 1
      end
    end,
  },
})
if not client_id then
  fail("cannot start " .. bin)
end
vim.lsp.buf_attach_client(buf, client_id)
if not vim.wait(30000, function() return publications > 0 end, 20) then
  fail("no diagnostics were published")
end

-- The CLI's places, 1-based lines and character columns, as Neovim's 0-based lines and
-- byte columns of the buffer's text.
local function byte_col(lnum, character)
  local line = vim.api.nvim_buf_get_lines(buf, lnum, lnum + 1, false)[1] or ""
  local ok, col = pcall(vim.str_byteindex, line, character)
  if ok then
    return col
  end
  return #line
end

local function key(code, lnum, col, end_lnum, end_col)
  return string.format("%s %d:%d-%d:%d", code, lnum, col, end_lnum, end_col)
end

local want = {}
for _, d in ipairs(expected.diagnostics) do
  local l, el = d.line - 1, d.end_line - 1
  table.insert(want, key(d.code, l, byte_col(l, d.column - 1), el, byte_col(el, d.end_column - 1)))
end
local got = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(got, key(d.code, d.lnum, d.col, d.end_lnum, d.end_col))
end
table.sort(want)
table.sort(got)
local want_text, got_text = table.concat(want, "\n"), table.concat(got, "\n")
if want_text ~= got_text then
  fail("diagnostics differ\nCLI:\n" .. want_text .. "\nNeovim:\n" .. got_text)
end
io.stdout:write(string.format("ok %s: %d diagnostics as the CLI reports them\n", fixture, #got))

if mode == "actions" then
  -- The quick fix for the camelCase key `integrationType`.
  local target
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == "lint::sdk-casing" and d.message:find("integrationType", 1, true) then
      target = d
    end
  end
  if not target then
    fail("no lint::sdk-casing diagnostic for integrationType")
  end
  local params = {
    textDocument = { uri = uri },
    range = { start = { line = target.lnum, character = 0 }, ["end"] = { line = target.lnum + 1, character = 0 } },
    context = { diagnostics = {} },
  }
  local responses = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 10000) or {}
  local chosen
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      if action.kind == "quickfix" and action.isPreferred and action.title:find("integration_type", 1, true) then
        chosen = action
      end
    end
  end
  if not chosen then
    fail("no preferred quick fix renaming integrationType")
  end
  local before = publications
  vim.lsp.util.apply_workspace_edit(chosen.edit, "utf-16")
  local line = vim.api.nvim_buf_get_lines(buf, target.lnum, target.lnum + 1, false)[1]
  if not line:find('"integration_type"', 1, true) or line:find("integrationType", 1, true) then
    fail("the buffer line is not fixed: " .. line)
  end
  -- The edit reaches the server as an incremental change; the diagnostic goes away.
  local cleared = vim.wait(30000, function()
    if publications == before then
      return false
    end
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.message:find("integrationType", 1, true) then
        return false
      end
    end
    return true
  end, 20)
  if not cleared then
    fail("the diagnostic for integrationType was not cleared after the fix")
  end
  io.stdout:write("ok quick fix applied: " .. vim.trim(line) .. "\n")

  -- Completion inside `permissions`, right after its `[`.
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local plnum, pcol
  for i, l in ipairs(lines) do
    local s, e = l:find('"permissions": [', 1, true)
    if s then
      plnum, pcol = i - 1, e
    end
  end
  if not plnum then
    fail("no permissions list in the fixture")
  end
  local present = {}
  for value in lines[plnum + 1]:gmatch('"([%w_]+)"') do
    present[value] = true
  end
  local completion = vim.lsp.buf_request_sync(buf, "textDocument/completion", {
    textDocument = { uri = uri },
    position = { line = plnum, character = pcol },
  }, 10000) or {}
  local offered = {}
  for _, response in pairs(completion) do
    local result = response.result or {}
    for _, item in ipairs(result.items or result) do
      offered[item.label] = true
    end
  end
  local schema = read_json(os.getenv("SCHEMA"))
  local count = 0
  for _, permission in ipairs(schema.definitions.Permission.enum) do
    if not present[permission] then
      if not offered[permission] then
        fail("completion does not offer " .. permission)
      end
      count = count + 1
    elseif offered[permission] then
      fail("completion offers " .. permission .. ", which is already listed")
    end
  end
  io.stdout:write(string.format("ok completion inside permissions offers the model's %d other permissions\n", count))
end

vim.lsp.stop_client(client_id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
vim.cmd("qa!")
