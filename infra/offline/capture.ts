/**
 * One registration as the offline engine records it: the resource, its options and source position, read
 * from the SDK's RegisterResourceRequest and the monitor's answer.
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { WireValue } from "./wire";

/** Resource options as the SDK sent them. Only options that were set are present. */
export interface CapturedOptions {
  protect?: boolean;
  deleteBeforeReplace?: boolean;
  ignoreChanges?: string[];
  replaceOnChanges?: string[];
  retainOnDelete?: boolean;
  deletedWith?: string;
  aliases?: unknown[];
  customTimeouts?: { create?: string; update?: string; delete?: string };
  additionalSecretOutputs?: string[];
  hideDiffs?: string[];
  importId?: string;
  version?: string;
  pluginDownloadURL?: string;
}

/** Where in the program a resource was created. */
export interface SourcePosition {
  /** Path relative to the program's directory when inside it, else absolute. */
  file: string;
  line: number;
  column: number;
}

/** One resource as the offline engine captured it. */
export interface CapturedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent?: string;
  id?: string;
  /** Explicit provider reference (`urn::id`) for custom resources; undefined means the default provider. */
  provider?: string;
  /** Providers map handed to a component. */
  providers?: Record<string, string>;
  /** Inputs in wire format (secrets and unknowns marked). */
  inputs: Record<string, WireValue>;
  /** State the (modelled) provider returned, wire format; for components, their registered outputs. */
  outputs: Record<string, WireValue>;
  /** Output names the model computed (not echoed inputs). */
  computed: string[];
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  options: CapturedOptions;
  sourcePosition?: SourcePosition;
}

export interface ProtoMessage {
  toJavaScript?: () => unknown;
  getUrn(): string;
  getId(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/** The subset of RegisterResourceRequest the recorder reads. */
export interface RegisterRequest {
  getType(): string;
  getRemote(): boolean;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getProtect(): boolean;
  getDependenciesList(): string[];
  getProvider(): string;
  getProvidersMap(): ProtoMap<string>;
  getPropertydependenciesMap(): ProtoMap<{ getUrnsList(): string[] }>;
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getRetainondelete(): boolean;
  getDeletedwith(): string;
  getAliasesList(): { toObject(): unknown }[];
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
  getAdditionalsecretoutputsList(): string[];
  getHidediffsList?(): string[];
  getImportid(): string;
  getVersion(): string;
  getPlugindownloadurl(): string;
  getSourceposition(): { getUri(): string; getLine(): number; getColumn(): number } | undefined;
}

/** jspb.Map: iterate with forEach (toObject asserts on message values). */
export interface ProtoMap<V> {
  forEach(cb: (value: V, key: string) => void): void;
}

export function capture(
  req: RegisterRequest,
  resp: ProtoMessage,
  programDir: string | undefined,
): CapturedResource {
  const options: CapturedOptions = {};
  if (req.getProtect()) options.protect = true;
  if (req.getDeletebeforereplacedefined() || req.getDeletebeforereplace())
    options.deleteBeforeReplace = req.getDeletebeforereplace();
  if (req.getIgnorechangesList().length) options.ignoreChanges = req.getIgnorechangesList();
  if (req.getReplaceonchangesList().length) options.replaceOnChanges = req.getReplaceonchangesList();
  if (req.getRetainondelete()) options.retainOnDelete = true;
  if (req.getDeletedwith()) options.deletedWith = req.getDeletedwith();
  const aliases = req.getAliasesList().map((a) => a.toObject());
  if (aliases.length) options.aliases = aliases;
  const ct = req.getCustomtimeouts();
  if (ct && (ct.getCreate() || ct.getUpdate() || ct.getDelete())) {
    options.customTimeouts = {};
    if (ct.getCreate()) options.customTimeouts.create = ct.getCreate();
    if (ct.getUpdate()) options.customTimeouts.update = ct.getUpdate();
    if (ct.getDelete()) options.customTimeouts.delete = ct.getDelete();
  }
  if (req.getAdditionalsecretoutputsList().length)
    options.additionalSecretOutputs = req.getAdditionalsecretoutputsList();
  const hide = req.getHidediffsList?.() ?? [];
  if (hide.length) options.hideDiffs = hide;
  if (req.getImportid()) options.importId = req.getImportid();
  if (req.getVersion()) options.version = req.getVersion();
  if (req.getPlugindownloadurl()) options.pluginDownloadURL = req.getPlugindownloadurl();

  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((v, k) => {
    const urns = v.getUrnsList();
    if (urns.length) propertyDependencies[k] = urns;
  });
  const providers: Record<string, string> = {};
  req.getProvidersMap().forEach((v, k) => (providers[k] = v));

  const pos = req.getSourceposition();
  let sourcePosition: SourcePosition | undefined;
  // The root stack's position is inside the SDK; it says nothing about the program.
  if (pos && pos.getUri() && req.getType() !== "pulumi:pulumi:Stack") {
    let file = pos.getUri().startsWith("file:") ? fileURLToPath(pos.getUri()) : pos.getUri();
    if (programDir) {
      const rel = path.relative(programDir, file);
      if (!rel.startsWith("..") && !path.isAbsolute(rel)) file = rel;
    }
    sourcePosition = { file, line: pos.getLine(), column: pos.getColumn() };
  }

  const id = resp.getId();
  return {
    urn: resp.getUrn(),
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    parent: req.getParent() || undefined,
    id: id || undefined,
    provider: req.getProvider() || undefined,
    providers: Object.keys(providers).length ? providers : undefined,
    inputs: req.getObject()?.toJavaScript() ?? {},
    outputs: resp.getObject()?.toJavaScript() ?? {},
    computed: [],
    dependencies: req.getDependenciesList(),
    propertyDependencies,
    options,
    sourcePosition,
  };
}
