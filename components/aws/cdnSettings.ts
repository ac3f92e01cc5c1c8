/**
 * Validation of the AWS CDN's args (components/aws/cdn.ts) and the defaults applied: the API origin and its
 * secret header, the API path patterns, the custom domain and its us-east-1 certificate, price class,
 * encryption, version retention, the uploads prefix. Pure: no resources, so it tests without mocks.
 * Errors name the arg, the value and what is allowed.
 */
import { show } from "../shared/validate";
import { validateTags } from "./network";
import {
  CdnArgs,
  CdnSettings,
  DEFAULT_API_PATHS,
  MIN_TLS_DEFAULT_CERT,
  MIN_TLS_WITH_DOMAIN,
  PRICE_CLASSES,
} from "./cdnArgs";

const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Validates every arg synchronously and applies defaults. */
export function resolveCdnArgs(args: CdnArgs): CdnSettings {
  if (args === null || typeof args !== "object") throw new Error(`args is ${show(args)}; expected an object`);
  const api = args.apiOrigin;
  if (api !== undefined) {
    if (api === null || typeof api !== "object") {
      throw new Error(`apiOrigin is ${show(api)}; allowed: { domainName, protocol, originVerifyHeader? }`);
    }
    if (api.domainName === undefined || api.domainName === "") {
      throw new Error(`apiOrigin.domainName is ${show(api.domainName)}; allowed: the ALB's host name`);
    }
    if (api.protocol !== "https-only" && api.protocol !== "http-only") {
      throw new Error(`apiOrigin.protocol is ${show(api.protocol)}; allowed: "https-only", "http-only"`);
    }
    const h = api.originVerifyHeader;
    if (h !== undefined) {
      if (
        typeof h.name !== "string" ||
        !/^[A-Za-z0-9-]{1,128}$/.test(h.name) ||
        /^(x-amz-|x-edge-)/i.test(h.name)
      ) {
        throw new Error(
          `apiOrigin.originVerifyHeader.name is ${show(h.name)}; allowed: a header name of letters, digits and "-" ` +
            `not starting with X-Amz- or X-Edge-, such as "X-Origin-Verify"`,
        );
      }
      if (typeof h.value === "string" && h.value.length < 16) {
        throw new Error(
          `apiOrigin.originVerifyHeader.value has ${h.value.length} characters; allowed: a secret of at least 16 ` +
            `characters (generate it with random.RandomPassword)`,
        );
      }
    }
    if (api.protocol === "http-only" && h === undefined) {
      throw new Error(
        `apiOrigin.protocol is "http-only" without originVerifyHeader; allowed: "https-only" (ALB with a ` +
          `certificate), or "http-only" together with originVerifyHeader (the ALB then admits only CloudFront's ` +
          `prefix list carrying the secret header)`,
      );
    }
  }
  const apiPaths = args.apiPaths ?? [...DEFAULT_API_PATHS];
  if (!Array.isArray(apiPaths) || apiPaths.length === 0) {
    throw new Error(
      `apiPaths is ${show(apiPaths)}; allowed: a non-empty list of path patterns such as "/api/*"`,
    );
  }
  for (const p of apiPaths) {
    if (typeof p !== "string" || !/^\/[A-Za-z0-9._~\-/]+\*?$/.test(p) || p === "/*") {
      throw new Error(
        `apiPaths contains ${show(p)}; allowed: path patterns below "/" such as "/api/*" (not "/*")`,
      );
    }
  }
  let domain = args.domain;
  if (domain !== undefined) {
    if (!Array.isArray(domain.aliases) || domain.aliases.length === 0) {
      throw new Error(`domain.aliases is ${show(domain.aliases)}; allowed: a non-empty list of host names`);
    }
    for (const a of domain.aliases) {
      if (typeof a !== "string" || !HOST.test(a)) {
        throw new Error(
          `domain.aliases contains ${show(a)}; allowed: lowercase host names such as "cdn.example.com"`,
        );
      }
    }
    const arn = domain.acmCertificateArn;
    if (arn === undefined || arn === "") {
      throw new Error(
        `domain.acmCertificateArn is ${show(arn)}; allowed: an ACM certificate ARN in us-east-1`,
      );
    }
    if (typeof arn === "string" && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/.+$/.test(arn)) {
      throw new Error(
        `domain.acmCertificateArn is ${show(arn)}; allowed: an ACM certificate ARN in us-east-1 ` +
          `(CloudFront only uses certificates from us-east-1)`,
      );
    }
    domain = { aliases: [...domain.aliases], acmCertificateArn: arn };
  }
  const priceClass = args.priceClass ?? "PriceClass_100";
  if (!PRICE_CLASSES.includes(priceClass)) {
    throw new Error(`priceClass is ${show(priceClass)}; allowed: ${PRICE_CLASSES.map(show).join(", ")}`);
  }
  const encryption = args.encryption ?? "AES256";
  if (encryption !== "AES256") {
    if (encryption === null || typeof encryption !== "object" || !encryption.kmsKeyArn) {
      throw new Error(`encryption is ${show(encryption)}; allowed: "AES256" or { kmsKeyArn }`);
    }
  }
  const noncurrentVersionDays = args.noncurrentVersionDays ?? 30;
  if (!Number.isInteger(noncurrentVersionDays) || noncurrentVersionDays < 1 || noncurrentVersionDays > 3650) {
    throw new Error(
      `noncurrentVersionDays is ${show(noncurrentVersionDays)}; allowed: an integer from 1 to 3650`,
    );
  }
  const uploadsPrefix = args.uploadsPrefix === undefined ? "uploads" : args.uploadsPrefix;
  if (uploadsPrefix !== null) {
    if (typeof uploadsPrefix !== "string" || !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(uploadsPrefix)) {
      throw new Error(
        `uploadsPrefix is ${show(uploadsPrefix)}; allowed: one path segment of a-z, 0-9, '_', '-' (e.g. "uploads") or null`,
      );
    }
    const clash = apiPaths.find((p) => p === `/${uploadsPrefix}/*` || p.startsWith(`/${uploadsPrefix}/`));
    if (clash) {
      throw new Error(
        `uploadsPrefix "${uploadsPrefix}" overlaps apiPaths entry ${show(clash)}; allowed: a prefix the API does not serve`,
      );
    }
  }
  const spaRewrite = args.spaRewrite ?? false;
  if (typeof spaRewrite !== "boolean")
    throw new Error(`spaRewrite is ${show(spaRewrite)}; allowed: true or false`);
  if (args.transform !== undefined && (args.transform === null || typeof args.transform !== "object")) {
    throw new Error(`transform is ${show(args.transform)}; allowed: an object of per-child transforms`);
  }
  return {
    apiOrigin: api,
    apiPaths: [...apiPaths],
    domain,
    priceClass,
    spaRewrite,
    encryption,
    noncurrentVersionDays,
    minTlsVersion: domain ? MIN_TLS_WITH_DOMAIN : MIN_TLS_DEFAULT_CERT,
    uploadsPrefix,
    tags: validateTags(args.tags),
  };
}
