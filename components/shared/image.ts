/**
 * Container image references, shared by config validation (infra/config/) and the components that run
 * an image (AWS and GCP services and jobs): one parser, one digest rule.
 *
 * An image is pinned when it names a `sha256` digest: a tag can be moved to other content after it was
 * tested, a digest cannot.
 */
import { show } from "./validate";

/** The parts of a container image reference. */
export interface ImageReference {
  registry?: string;
  repository: string;
  tag?: string;
  /** `sha256:<64 hex>` */
  digest?: string;
}

const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const REGISTRY_HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d{1,5})?$/;

/**
 * Parses an OCI image reference, `[registry/]repository[:tag][@sha256:<64 hex>]`, or returns why it is
 * not one. The first path component is the registry when it contains "." or ":" or is "localhost".
 */
export function parseImageReference(ref: string): ImageReference | string {
  if (ref === "" || /\s/.test(ref)) return "empty or contains whitespace";
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^sha256:[0-9a-f]{64}$/.test(digest))
      return "the digest must be sha256: followed by 64 lowercase hex digits";
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!IMAGE_TAG.test(tag))
      return "the tag must be 1-128 letters, digits, '_', '.' or '-', not starting with '.' or '-'";
  }
  const parts = rest.split("/");
  let registry: string | undefined;
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === "localhost")) {
    registry = parts.shift();
    if (!REGISTRY_HOST.test(registry ?? "")) return "the registry is not a valid host[:port]";
  }
  const repository = parts.join("/");
  if (!parts.every((p) => IMAGE_PATH_COMPONENT.test(p)))
    return "the repository path must be lowercase letters and digits (separated by '.', '_', '__' or '-'), with '/' between components";
  if (repository.length > 255) return "the repository path is longer than 255 characters";
  return { registry, repository, tag, digest };
}

/** True when the image reference is pinned by a sha256 digest (`...@sha256:<64 lowercase hex>`). */
export function isDigestPinned(image: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(image);
}

/**
 * Validates an image argument of a component: a parseable reference and, with `requireDigest`, pinned by
 * digest. Throws an error naming `arg`, the value and what is allowed; returns the image.
 */
export function checkImage(arg: string, image: unknown, requireDigest: boolean): string {
  const parsed = typeof image === "string" ? parseImageReference(image) : "not a string";
  if (typeof parsed === "string") {
    throw new Error(
      `${arg} is ${show(image)}: ${parsed}; allowed: an image reference [registry/]repository[:tag][@sha256:<64 hex>], ` +
        `e.g. "us-central1-docker.pkg.dev/my-project/meridian/api@sha256:<digest>"`,
    );
  }
  if (requireDigest && !isDigestPinned(image as string)) {
    throw new Error(
      `${arg} is ${show(image)} but requireDigest is true; allowed: an image pinned by digest ` +
        `(<repository>@sha256:<64 hex>), because a tag can be moved to other content. Get the digest with ` +
        `\`docker buildx imagetools inspect IMAGE\` or \`crane digest IMAGE\``,
    );
  }
  return image as string;
}
