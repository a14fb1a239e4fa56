import { parseArgs } from 'node:util';
import { startLocalStack } from './local/stack';

/** `npm start`: the whole service on this machine, with no AWS account. */
const { values } = parseArgs({
  options: {
    persist: { type: 'boolean', default: false },
    metrics: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm start [-- --persist]

  --persist   keep DynamoDB Local's data in .data/ between runs (default: in memory)
  --metrics   print each request's metrics line (CloudWatch's embedded metric format), as Lambda would

Environment: PORT (API, default 3000), DYNAMODB_PORT (default 8000), SES_PORT (default 8005),
  DNS_PORT (the local DNS server, default 8053).`);
  process.exit(0);
}

const host = '127.0.0.1';
const apiPort = Number(process.env.PORT ?? 3000);

try {
  const stack = await startLocalStack({
    host,
    apiPort,
    tableName: 'switchboard',
    dynamoPort: Number(process.env.DYNAMODB_PORT ?? 8000),
    sesPort: Number(process.env.SES_PORT ?? 8005),
    dnsPort: Number(process.env.DNS_PORT ?? 8053),
    ...(values.persist ? { dataDirectory: '.data' } : {}),
    metrics: values.metrics,
  });

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the API, the mailer, the local DNS, the local SES and DynamoDB Local…');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  console.log(`
Switchboard is running locally.

  API            ${stack.apiUrl}/v1   (OpenAPI: ${stack.apiUrl}/openapi.json)
  Mailer         in process: the table's stream → the mail queue → the local SES
  Sent emails    ${stack.sesUrl}
  SES feedback   POST ${stack.apiUrl}/dev/ses/events {"type":"delivery"|"bounce"|"complaint","email":"…"}
  DNS            ${stack.dns.server} (UDP and TCP): PUT ${stack.apiUrl}/dev/dns/txt {"name":"…","values":["…"]}
  Domain check   POST ${stack.apiUrl}/dev/jobs/recheck-domains {"now":"<ISO time>"} (daily in AWS)
  Renewals       POST ${stack.apiUrl}/dev/jobs/renew-subscriptions {"now":"<ISO time>"} (daily in AWS)
  Another now    any request may carry X-Dev-Now: <ISO time> (the local server only)
  DynamoDB Local ${stack.dynamoEndpoint}   (table "${stack.tableName}", ${values.persist ? 'data in .data/' : 'in memory'})

Get a token and create a workspace:

  TOKEN=$(curl -s -X POST ${stack.apiUrl}/dev/token -H 'content-type: application/json' \\
    -d '{"email":"ada@example.com","name":"Ada Lovelace"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')
  curl -s -X POST ${stack.apiUrl}/v1/workspaces -H "authorization: Bearer $TOKEN" \\
    -H 'content-type: application/json' -d '{"name":"Acme"}'

Ctrl-C stops everything.
`);
} catch (error) {
  console.error(`Could not start: ${(error as Error).message}`);
  process.exitCode = 1;
}
