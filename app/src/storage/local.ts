/**
 * Local filesystem adapter for development: objects are files under `root/prefix/`. Writes go to a temp
 * file first and are renamed into place, so a reader never sees half a file.
 */
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { joinKey, type ObjectStorage, type PutOptions } from "./types";

export class LocalStorage implements ObjectStorage {
  readonly kind = "local" as const;
  readonly location: string;
  private readonly root: string;

  /**
   * @param root   directory that holds the objects (created on first write)
   * @param prefix key prefix, e.g. `uploads`
   */
  constructor(
    root: string,
    private readonly prefix: string,
  ) {
    this.root = path.resolve(root);
    this.location = `file://${path.join(this.root, prefix)}`;
  }

  /** The absolute file path of `key` (always inside the root: keys are validated by joinKey). */
  pathOf(key: string): string {
    const full = path.resolve(this.root, joinKey(this.prefix, key));
    if (!full.startsWith(this.root + path.sep)) throw new Error(`key escapes the storage root: ${key}`);
    return full;
  }

  async put(key: string, body: Buffer, _options: PutOptions): Promise<void> {
    const file = this.pathOf(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(tmp, body, { mode: 0o644 });
    await fs.rename(tmp, file);
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((k) => fs.rm(this.pathOf(k), { force: true })));
  }
}
