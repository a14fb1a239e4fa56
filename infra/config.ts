import type { Construct } from 'constructs';
import { offeredSendRates } from './send-rate';

/** Settings of the stack; each may come from stack props or from context (`cdk deploy -c key=value`). */
export interface SwitchboardSettings {
  /**
   * An external OpenID Connect issuer (its `iss` claim, an https URL). Together
   * with `oidcAudience` it replaces the Cognito user pool.
   */
  readonly oidcIssuer?: string;
  /** The audiences (`aud`/`client_id`) accepted from `oidcIssuer`; a comma-separated string in context. */
  readonly oidcAudience?: string | string[];
  /** Default of the AppUrl parameter: the web app's base URL, where invitation links point. */
  readonly appUrl?: string;
  /** Default of the AppDownloadUrl parameter: the apps' download page, linked from the invitation emails. */
  readonly appDownloadUrl?: string;
  /** Default of the SenderEmail parameter: the SES-verified address emails come from. */
  readonly senderEmail?: string;
  /** Default of the MaxSendRate parameter: the SES account's send rate (emails per second). */
  readonly maxSendRate?: number;
  /** Origins of web apps allowed to call the API from a browser (CORS); a comma-separated string in context. */
  readonly corsOrigins?: string | string[];
  /**
   * DNS resolvers the domain checks ask (IP addresses, optionally `:port`); a
   * comma-separated string in context. @default the resolver Lambda provides
   */
  readonly dnsServers?: string | string[];
  /** Stage throttling: steady-state requests per second. */
  readonly throttleRateLimit?: number;
  /** Stage throttling: burst size. */
  readonly throttleBurstLimit?: number;
}

export interface ResolvedSettings {
  /** Set when an external issuer is used; otherwise the stack creates a Cognito user pool. */
  readonly oidc?: { readonly issuer: string; readonly audience: string[] };
  readonly appUrl: string;
  readonly appDownloadUrl: string;
  readonly senderEmail: string;
  readonly maxSendRate: number;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Empty: no CORS, as for native and server clients. */
  readonly corsOrigins: string[];
  /** Empty: the resolver Lambda provides. */
  readonly dnsServers: string[];
}

export const defaultThrottle = { rateLimit: 50, burstLimit: 100 } as const;

const settingKeys = [
  'oidcIssuer',
  'oidcAudience',
  'appUrl',
  'appDownloadUrl',
  'senderEmail',
  'maxSendRate',
  'corsOrigins',
  'dnsServers',
  'throttleRateLimit',
  'throttleBurstLimit',
] as const satisfies (keyof SwitchboardSettings)[];

function fromContext(scope: Construct, key: string): unknown {
  const value: unknown = scope.node.tryGetContext(key);
  return value === '' || value === null ? undefined : value;
}

function stringSetting(key: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new Error(`Setting ${key} must be a string, got ${JSON.stringify(value)}`);
  return value.trim() || undefined;
}

function positiveNumber(key: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new Error(`Setting ${key} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** One of the rates the MaxSendRate parameter offers; the SES sandbox's 1 by default. */
function sendRateSetting(value: unknown): number {
  const rate = positiveNumber('maxSendRate', value, 1);
  if (!(offeredSendRates as readonly number[]).includes(rate)) {
    throw new Error(`Setting maxSendRate must be one of ${offeredSendRates.join(', ')}, got ${rate}`);
  }
  return rate;
}

function stringList(key: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : stringSetting(key, value)?.split(',');
  const entries = (list ?? []).map((entry) => String(entry).trim()).filter(Boolean);
  return entries.length > 0 ? entries : undefined;
}

/** Stack props win over context; context values arrive as strings from the command line. */
export function resolveSettings(scope: Construct, props: SwitchboardSettings): ResolvedSettings {
  const raw = Object.fromEntries(
    settingKeys.map((key) => [key, props[key] ?? fromContext(scope, key)]),
  ) as Record<(typeof settingKeys)[number], unknown>;

  const issuer = stringSetting('oidcIssuer', raw.oidcIssuer);
  const audience = stringList('oidcAudience', raw.oidcAudience);
  const corsOrigins = stringList('corsOrigins', raw.corsOrigins) ?? [];
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new Error(`corsOrigins must be origins such as https://app.example.com, got ${origin}`);
    }
  }
  const dnsServers = stringList('dnsServers', raw.dnsServers) ?? [];
  for (const server of dnsServers) {
    // An IPv4 address with an optional port, or a bracketed IPv6 address with one: what Node's resolver takes.
    if (!/^(\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?|\[[0-9a-fA-F:]+\](:\d{1,5})?|[0-9a-fA-F:]+)$/.test(server)) {
      throw new Error(`dnsServers must be IP addresses such as 1.1.1.1 or 1.1.1.1:53, got ${server}`);
    }
  }
  if (Boolean(issuer) !== Boolean(audience)) {
    throw new Error(
      'Set both oidcIssuer and oidcAudience to use an external OIDC issuer, or neither for Cognito.',
    );
  }
  if (issuer && !issuer.startsWith('https://')) {
    throw new Error(`oidcIssuer must be an https URL, got ${issuer}`);
  }

  return {
    ...(issuer && audience ? { oidc: { issuer, audience } } : {}),
    appUrl: stringSetting('appUrl', raw.appUrl) ?? '',
    appDownloadUrl: stringSetting('appDownloadUrl', raw.appDownloadUrl) ?? '',
    senderEmail: stringSetting('senderEmail', raw.senderEmail) ?? '',
    maxSendRate: sendRateSetting(raw.maxSendRate),
    corsOrigins,
    dnsServers,
    throttle: {
      rateLimit: positiveNumber('throttleRateLimit', raw.throttleRateLimit, defaultThrottle.rateLimit),
      burstLimit: positiveNumber('throttleBurstLimit', raw.throttleBurstLimit, defaultThrottle.burstLimit),
    },
  };
}
