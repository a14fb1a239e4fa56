import { randomBytes } from 'node:crypto';
import { baseEnvironment } from '../../infra/runtime';
import { type LocalDns, startLocalDns } from './dns-server';
import {
  createTable,
  localCredentials,
  localDynamoClient,
  localRegion,
  startDynamoDbLocal,
} from './dynamodb-local';
import { type LocalMail, startLocalMail } from './mail';
import { localTelephonyRole } from './service-identity';
import { startSesLocal } from './ses-local';
import { createTokenIssuer, type TokenIssuer } from './token-issuer';

const localIssuer = 'http://localhost/switchboard-local-issuer';
const localAudience = 'switchboard-local';

export interface LocalStackOptions {
  host: string;
  apiPort: number;
  tableName: string;
  /** Use this DynamoDB Local instead of starting one. */
  dynamoEndpoint?: string;
  dynamoPort?: number;
  /** Keep DynamoDB Local's data in this directory instead of memory. */
  dataDirectory?: string;
  /** Use this local SES instead of starting one. */
  sesUrl?: string;
  sesPort?: number;
  appUrl?: string;
  /** Where the emails' "download the apps" links point. @default this server's /download */
  appDownloadUrl?: string;
  /** The local DNS server's port (UDP and TCP). @default any free port */
  dnsPort?: number;
  /** How long a mail queue message the mailer gave back stays hidden. @default 2 seconds */
  mailVisibilityMs?: number;
  logLevel?: string;
  /** Print each request's embedded metrics (CloudWatch's EMF lines) on stdout, as Lambda would. */
  metrics?: boolean;
}

export interface LocalStack {
  apiUrl: string;
  sesUrl: string;
  dynamoEndpoint: string;
  tableName: string;
  issuer: TokenIssuer;
  /** The mail queue and the mailer, in process. */
  mail: LocalMail;
  /** The DNS server domain verification queries. */
  dns: LocalDns;
  stop(): Promise<void>;
}

/**
 * Everything the service needs, locally: DynamoDB Local with the table, the
 * local SES, the token issuer, the mail queue with the mailer, and the API
 * server running the real handlers.
 * `stop` ends every process this started, in reverse order; a failed start
 * stops what had already started.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch(() => undefined);
  };
  const mailVisibilityMs = options.mailVisibilityMs ?? 2000;
  try {
    let dynamoEndpoint = options.dynamoEndpoint;
    if (!dynamoEndpoint) {
      const dynamo = await startDynamoDbLocal({
        port: options.dynamoPort ?? 8000,
        ...(options.dataDirectory ? { dataDirectory: options.dataDirectory } : {}),
      });
      stops.push(dynamo.stop);
      dynamoEndpoint = dynamo.endpoint;
    }
    const admin = localDynamoClient(dynamoEndpoint);
    await createTable(admin, options.tableName);
    admin.destroy();

    let sesUrl = options.sesUrl;
    if (!sesUrl) {
      const ses = await startSesLocal({ host: options.host, port: options.sesPort ?? 8005 });
      stops.push(ses.stop);
      sesUrl = ses.url;
    }

    const dns = await startLocalDns({
      host: '127.0.0.1',
      ...(options.dnsPort ? { port: options.dnsPort } : {}),
    });
    stops.push(dns.stop);

    // The handlers read their configuration at import, as in Lambda: the deployed base environment, pointed at the local services.
    Object.assign(process.env, {
      ...baseEnvironment({
        tableName: options.tableName,
        serviceSecret: process.env.SERVICE_SECRET ?? randomBytes(32).toString('base64url'),
      }),
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      SES_ENDPOINT: sesUrl,
      AWS_REGION: localRegion,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'INFO',
      // The embedded metrics are one JSON line per request on stdout: off locally unless asked for.
      METRICS_DISABLED: options.metrics ? 'false' : 'true',
      SENDER_EMAIL: process.env.SENDER_EMAIL ?? 'invitations@switchboard.local',
      // No send rate locally. A claim expires before the queue redelivers, as in AWS (twice the
      // mailer's timeout there, against six for the visibility timeout).
      MAILER_SEND_INTERVAL_MS: '0',
      MAILER_CLAIM_EXPIRY_MS: String(mailVisibilityMs / 2),
      DNS_SERVERS: dns.server,
      // The one caller of the internal routes: the role the service token stands for.
      INTERNAL_CALLER_ROLES: localTelephonyRole,
      // No KMS runs locally: the same envelope code seals data keys under a key of SERVICE_SECRET.
      SECRETS_KEY_ID: 'local',
      // X-Dev-Now: a request may say the instant it runs as (never deployed).
      DEV_NOW: 'on',
      // Loopback answers at once: a lookup that has not within half a second never will.
      DNS_TIMEOUT_MS: '500',
    });

    const mail = await startLocalMail({
      dynamoEndpoint,
      tableName: options.tableName,
      sesUrl,
      visibilityMs: mailVisibilityMs,
    });
    stops.push(mail.stop);
    const issuer = await createTokenIssuer(localIssuer, localAudience);
    const { startApiServer } = await import('./api-server');
    const { localDomainChecks } = await import('./domain-checks');
    const { localJobs } = await import('./jobs');
    const api = await startApiServer({
      port: options.apiPort,
      host: options.host,
      issuer,
      simulateEmailEvent: mail.simulateEvent,
      domainChecks: localDomainChecks(dns),
      jobs: await localJobs(),
    });
    stops.push(api.close);
    process.env.APP_URL = options.appUrl ?? api.url;
    process.env.APP_DOWNLOAD_URL = options.appDownloadUrl ?? `${api.url}/download`;
    return { apiUrl: api.url, sesUrl, dynamoEndpoint, tableName: options.tableName, issuer, mail, dns, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
