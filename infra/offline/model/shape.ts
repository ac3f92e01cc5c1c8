/**
 * Answers for data sources the model does not compute: a value shaped like the function's declared
 * result (`Get<Fn>Result` in the provider SDK's `.d.ts`), so ordinary programs run instead of throwing on
 * `{}`. Result fields the call's arguments name are echoed (as the provider echoes them); other strings,
 * numbers, booleans, lists and nested objects get invented placeholders, which the notes list by name;
 * fields that hold a document a policy rule would judge (`policy`, `json`, `policyData`, `*Json`,
 * `*Document`) are **unknown**, as they are in a real preview of an unknowable value, so rules report
 * "cannot check during preview" rather than pass an invented document.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { hex, OFFLINE_AWS_ACCOUNT } from "./context";

/** Pulumi's wire value for "unknown" (an unknown output after deserialization in a preview). */
export const UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface ShapedAnswer {
  value: Record<string, unknown>;
  /** Paths of invented placeholder values. */
  invented: string[];
  /** Paths answered unknown. */
  unknown: string[];
}

const DOCUMENT_FIELD = /^(policy|json|policyData|document)$|(Json|Document|PolicyData)$/;
const MAX_DEPTH = 4;

/** The shaped answer for `token` (`aws:ec2/getVpc:getVpc`), or undefined when its declaration is not found. */
export function shapedPlaceholder(
  token: string,
  args: Record<string, unknown>,
  region: string,
  fromDir = process.cwd(),
): ShapedAnswer | undefined {
  const [pkg = "", mod = "", fn = ""] = token.split(":");
  const root = packageRoot(pkg, fromDir);
  if (!root || !fn) return undefined;
  const dir = mod.split("/")[0] === "index" ? "" : mod.split("/")[0];
  const file = path.join(root, dir, `${mod.split("/")[1] ?? fn}.d.ts`);
  if (!fs.existsSync(file)) return undefined;
  const name = `${fn[0].toUpperCase()}${fn.slice(1)}Result`;
  const members = interfaceMembers(fs.readFileSync(file, "utf8"), name);
  if (!members) return undefined;
  const ctx: Ctx = { root, token, region, invented: [], unknown: [] };
  const value = objectOf(members, args, "", ctx, 0);
  return { value, invented: ctx.invented, unknown: ctx.unknown };
}

interface Ctx {
  root: string;
  token: string;
  region: string;
  invented: string[];
  unknown: string[];
}

interface Member {
  name: string;
  optional: boolean;
  type: string;
}

function packageRoot(pkg: string, fromDir: string): string | undefined {
  if (!/^[a-z0-9-]+$/.test(pkg)) return undefined;
  for (const paths of [[fromDir], [__dirname]]) {
    try {
      return path.dirname(require.resolve(`@pulumi/${pkg}/package.json`, { paths }));
    } catch {
      // try the next location
    }
  }
  return undefined;
}

/** The members of `interface <name> {...}` in declaration text, comments removed. */
export function interfaceMembers(text: string, name: string): Member[] | undefined {
  const start = new RegExp(`interface ${name} \\{`).exec(text);
  if (!start) return undefined;
  let depth = 0;
  let i = start.index + start[0].length - 1;
  const from = i + 1;
  for (; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) break;
  }
  const body = text.slice(from, i).replace(/\/\*[\s\S]*?\*\//g, "");
  const members: Member[] = [];
  let d = 0;
  let cur = "";
  for (const ch of body) {
    if (ch === "{" || ch === "(" || ch === "<") d++;
    if (ch === "}" || ch === ")" || ch === ">") d--;
    if (ch === ";" && d === 0) {
      const m = /^\s*(?:readonly\s+)?(\w+)(\?)?\s*:\s*([\s\S]+)$/.exec(cur);
      if (m) members.push({ name: m[1], optional: m[2] === "?", type: m[3].replace(/\s+/g, " ").trim() });
      cur = "";
    } else cur += ch;
  }
  return members;
}

function objectOf(
  members: Member[],
  args: Record<string, unknown>,
  prefix: string,
  ctx: Ctx,
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of members) {
    const at = prefix ? `${prefix}.${m.name}` : m.name;
    if (m.name in args && args[m.name] !== undefined) out[m.name] = args[m.name];
    else if (!m.optional) out[m.name] = valueOf(m.type, m.name, at, ctx, depth);
  }
  return out;
}

function valueOf(type: string, field: string, at: string, ctx: Ctx, depth: number): unknown {
  const t = type.split(" | ").filter((x) => x !== "undefined")[0] ?? type;
  if (t.endsWith("[]")) {
    const item = valueOf(t.slice(0, -2), field, `${at}[0]`, ctx, depth + 1);
    return item === undefined ? [] : [item];
  }
  if (/^\{ ?\[key: string\]/.test(t)) return {};
  if (t === "string" && DOCUMENT_FIELD.test(field)) {
    ctx.unknown.push(at);
    return UNKNOWN_WIRE;
  }
  if (/^".*"$/.test(t)) return JSON.parse(t) as string;
  switch (t) {
    case "string":
      ctx.invented.push(at);
      return placeholderString(field, at, ctx);
    case "number":
      ctx.invented.push(at);
      return 0;
    case "boolean":
      ctx.invented.push(at);
      return false;
    case "any":
      ctx.unknown.push(at);
      return UNKNOWN_WIRE;
  }
  const ref = /^outputs\.([\w.]+)\.(\w+)$/.exec(t);
  if (ref && depth < MAX_DEPTH) {
    const members = outputType(ctx.root, ref[1], ref[2]);
    if (members) return objectOf(members, {}, at, ctx, depth + 1);
  }
  ctx.unknown.push(at);
  return UNKNOWN_WIRE;
}

/** A placeholder string in the shape programs commonly parse (ARNs, CIDRs), else a named marker. */
function placeholderString(field: string, at: string, ctx: Ctx): string {
  const seed = `${ctx.token}::${at}`;
  const lower = field.toLowerCase();
  if (lower === "arn" || lower.endsWith("arn")) {
    const service = ctx.token.split(":")[1]?.split("/")[0] ?? "service";
    return `arn:aws:${service}:${ctx.region}:${OFFLINE_AWS_ACCOUNT}:offline-placeholder/${hex(seed, 8)}`;
  }
  if (lower.includes("ipv6cidr")) return "2001:db8::/56";
  if (lower.includes("cidr")) return "10.0.0.0/16";
  if (lower === "region") return ctx.region;
  if (lower.endsWith("accountid") || lower === "ownerid" || lower === "masteraccountid")
    return OFFLINE_AWS_ACCOUNT;
  return `offline-placeholder-${hex(seed, 8)}`;
}

const outputFiles = new Map<string, string>();

/** A nested result type `outputs.<ns>.<Name>` from the package's types/output.d.ts. */
function outputType(root: string, ns: string, name: string): Member[] | undefined {
  let text = outputFiles.get(root);
  if (text === undefined) {
    const file = path.join(root, "types", "output.d.ts");
    text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    outputFiles.set(root, text);
  }
  let scope = text;
  for (const part of ns.split(".")) {
    const at = scope.indexOf(`namespace ${part} {`);
    if (at < 0) return undefined;
    scope = scope.slice(at);
  }
  return interfaceMembers(scope, name);
}
