import { randomInt } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { BenchUser } from './http';
import type { BenchContext, Scenario } from './scenario';

/** A valid number neither the seeded numbers (415) nor the added ones (628) use. */
function portableNumber(): string {
  for (;;) {
    const candidate = `+1510${randomInt(2, 10)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
    if (parsePhoneNumberFromString(candidate)?.isValid()) return candidate;
  }
}

const submission = () => ({
  phoneNumber: portableNumber(),
  carrier: 'Old Telco',
  accountNumber: '88-1200-4455',
  pin: String(randomInt(1000, 10_000)),
  accountHolder: {
    name: 'Acme Inc.',
    address: {
      line1: '1 Market St',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94105',
      country: 'US',
    },
  },
});

/**
 * Porting: the submission (which encrypts the PIN) and the carrier's read
 * (which decrypts it). Locally the data key comes from the local key (AES-GCM
 * in process); in AWS each is one KMS call, which the notes count.
 */
export function createPortingScenarios(context: BenchContext): Scenario[] {
  const { seed, api, workspaceId, admin } = context;
  const portingPath = `/v1/workspaces/${workspaceId}/porting-requests`;
  let service: BenchUser | undefined;
  let readId: string | undefined;

  const submit: Scenario = {
    name: 'submitPortingRequest',
    operation: 'submitPortingRequest',
    expectedRequests: 2,
    note: 'GetItem (caller) + TransactWriteItems (the request, the number’s registry item, the checks, the audit event); 1 KMS GenerateDataKey in AWS, the local key here',
    run: () => api.post(admin, portingPath, submission()),
  };

  const carrierRead: Scenario = {
    name: 'readPortingRequestForCarrier (internal)',
    operation: 'readPortingRequestForCarrier',
    expectedRequests: 2,
    note: 'GetItem (the request) + TransactWriteItems (the pinRead audit event, before the answer); 1 KMS Decrypt in AWS, the local key here',
    async prepare() {
      service = await seed.service();
      const submitted = await api.post(admin, portingPath, submission());
      readId = (submitted.body as { data?: { id?: string } } | undefined)?.data?.id;
    },
    run: () => api.get(service, `/internal${portingPath}/${readId}`),
  };

  return [submit, carrierRead];
}
