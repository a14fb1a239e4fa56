import type { Envelope } from '../../core/envelope';
import { portingRequestKey, portingStatusPartition } from '../../db/keys';

export const portingStatuses = [
  'submitted',
  'in-progress',
  'action-required',
  'completed',
  'cancelled',
] as const;
export type PortingStatus = (typeof portingStatuses)[number];

/**
 * The statuses the carrier reports: its progress, and `cancelled` when it
 * refuses the port (with its reason), so that a request nobody can complete
 * gives its number's place back. `submitted` comes from the workspace.
 */
export const carrierStatuses = ['in-progress', 'action-required', 'completed', 'cancelled'] as const;
export type CarrierStatus = (typeof carrierStatuses)[number];

/** A request still holds its number's place: nobody else may port or add it. */
const openStatuses = ['submitted', 'in-progress', 'action-required'] as const;
/** Corrections are taken while the carrier has not started, or is waiting on the workspace. */
export const correctableStatuses = ['submitted', 'action-required'] as const;

/** Where the carrier may move a request from each open status (the lifecycle in docs/porting.md). */
export const carrierTransitions: Record<PortingStatus, readonly CarrierStatus[]> = {
  submitted: ['in-progress', 'action-required', 'cancelled'],
  'in-progress': ['action-required', 'completed', 'cancelled'],
  'action-required': ['cancelled'],
  completed: [],
  cancelled: [],
};

export const isOpen = (status: PortingStatus) => (openStatuses as readonly string[]).includes(status);

interface Address {
  line1: string;
  line2?: string | null | undefined;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export interface AccountHolder {
  name: string;
  address: Address;
}

/** What the workspace says about the number and its current carrier account (the PIN apart). */
export interface PortingDetails {
  phoneNumber: string;
  carrier: string;
  accountNumber: string;
  accountHolder: AccountHolder;
  billingTelephoneNumber: string | null;
  requestedPortDate: string | null;
  assignTo: string | null;
}

/**
 * A porting request as stored. The PIN is only ever an envelope (KMS), bound
 * to this workspace and request; the account number is kept whole (the
 * carrier needs it) and shown masked.
 */
export interface PortingRequestItem extends PortingDetails {
  id: string;
  workspaceId: string;
  pin: Envelope;
  status: PortingStatus;
  /** The carrier's reason: what to correct (`action-required`), or why it refused the port (`cancelled`). */
  reason: string | null;
  /** The number the completed port added. */
  phoneNumberId: string | null;
  createdAt: string;
  updatedAt: string;
  /** The workspace's last correction (its submission at first): what a carrier's report may not predate. */
  correctedAt: string;
  createdBy: string;
}

/** The encryption context's keys, and its purpose: the key's policy allows no other. */
export const pinPurpose = 'porting PIN';
export const pinContextKeys = ['workspaceId', 'portingRequestId', 'purpose'] as const;

/** What the PIN's envelope is bound to: a ciphertext copied onto another request decrypts nowhere. */
export const pinContext = (
  item: Pick<PortingRequestItem, 'workspaceId' | 'id'>,
): Record<(typeof pinContextKeys)[number], string> => ({
  workspaceId: item.workspaceId,
  portingRequestId: item.id,
  purpose: pinPurpose,
});

/** The item with its keys: the request's own, and its status list on GSI2. */
export const portingRecord = (item: PortingRequestItem) => ({
  ...portingRequestKey(item.workspaceId, item.id),
  GSI2PK: portingStatusPartition(item.workspaceId, item.status),
  GSI2SK: item.id,
  ...item,
});

export const portingTarget = (item: Pick<PortingRequestItem, 'id'>) => ({
  type: 'portingRequest',
  id: item.id,
});

/** `••••1234`: enough to recognise the account, never enough to use it (a short one shows nothing). */
const maskAccountNumber = (accountNumber: string) =>
  `••••${accountNumber.length >= 8 ? accountNumber.slice(-4) : ''}`;

/** The request as the workspace sees it: never the PIN, in any form. */
export const toPortingRequest = (item: PortingRequestItem) => ({
  id: item.id,
  phoneNumber: item.phoneNumber,
  carrier: item.carrier,
  accountNumberMasked: maskAccountNumber(item.accountNumber),
  pinSet: true as const,
  accountHolder: {
    name: item.accountHolder.name,
    address: { ...item.accountHolder.address, line2: item.accountHolder.address.line2 ?? null },
  },
  billingTelephoneNumber: item.billingTelephoneNumber,
  requestedPortDate: item.requestedPortDate,
  assignTo: item.assignTo,
  status: item.status,
  reason: item.reason,
  phoneNumberId: item.phoneNumberId,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  createdBy: item.createdBy,
});

export type PortingRequest = ReturnType<typeof toPortingRequest>;

/** What an audit event says of the request's details: the account number masked, the PIN never. */
export const auditedDetails = (details: Partial<PortingDetails>) => {
  const { accountNumber, ...rest } = details;
  return accountNumber === undefined
    ? rest
    : { ...rest, accountNumberMasked: maskAccountNumber(accountNumber) };
};
