import type { RouteName } from '../../shared/routes';
import { portingBody } from './porting';
import type { Team } from './seed';

export interface SampleRequest {
  path: string;
  body?: unknown;
}

const unknownInvitation = 'IV00000000000000000000000000';
const unclaimedDomain = 'unclaimed.example';
const unknownNumber = 'PN00000000000000000000000000';
const numberPathOf = (team: Team) =>
  `/v1/workspaces/${team.workspaceId}/phone-numbers/${team.phoneNumberId ?? unknownNumber}`;
const internalNumberPathOf = (team: Team) => `/internal${numberPathOf(team)}`;
const unknownPort = 'PR00000000000000000000000000';
const portPathOf = (team: Team) =>
  `/v1/workspaces/${team.workspaceId}/porting-requests/${team.portingRequestId ?? unknownPort}`;

/**
 * A valid request for every route of the table (with an invitation and a
 * suppressed address of the team's, `createTeam(api, name, { withInvitation:
 * true, withSuppression: true })`, for resend, revoke and clear), in a team's workspace, used
 * to prove each route's authentication, authorization and 404 behaviour.
 * The target of member operations is the plain member.
 */
export const sampleRequests: Record<RouteName, (team: Team) => SampleRequest> = {
  createWorkspace: () => ({ path: '/v1/workspaces', body: { name: 'Sample' } }),
  listWorkspaces: () => ({ path: '/v1/workspaces' }),
  getWorkspace: (team) => ({ path: `/v1/workspaces/${team.workspaceId}` }),
  updateWorkspace: (team) => ({ path: `/v1/workspaces/${team.workspaceId}`, body: { name: 'Renamed' } }),
  getPermissions: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/permissions` }),
  listMembers: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/members` }),
  getMember: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/members/${team.member.userId}` }),
  updateMemberRole: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/members/${team.member.userId}`,
    body: { role: 'admin' },
  }),
  removeMember: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/members/${team.member.userId}` }),
  leaveWorkspace: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/leave` }),
  transferOwnership: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/ownership-transfer`,
    body: { userId: team.member.userId },
  }),
  listAuditEvents: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/audit-events` }),
  createInvitations: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/invitations`,
    body: { emails: ['sample@example.com'], role: 'member', phoneAssignment: { mode: 'new' } },
  }),
  listInvitations: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/invitations` }),
  resendInvitation: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/invitations/${team.invitationId ?? unknownInvitation}/resend`,
  }),
  revokeInvitation: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/invitations/${team.invitationId ?? unknownInvitation}`,
  }),
  listSuppressedAddresses: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/suppressed-addresses` }),
  clearSuppressedAddress: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/suppressed-addresses/${team.suppressedEmail ?? 'nobody@example.com'}`,
  }),
  claimDomain: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/domains`,
    body: { email: `it@${team.workspaceId.toLowerCase()}.example` },
  }),
  listDomains: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/domains` }),
  getDomain: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/domains/${team.domain ?? unclaimedDomain}`,
  }),
  verifyDomain: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/domains/${team.domain ?? unclaimedDomain}/verify`,
  }),
  updateDomain: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/domains/${team.domain ?? unclaimedDomain}`,
    body: { joinPolicy: 'approval' },
  }),
  removeDomain: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/domains/${team.domain ?? unclaimedDomain}`,
  }),
  listJoinableWorkspaces: () => ({ path: '/v1/me/joinable-workspaces' }),
  joinWorkspace: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/join` }),
  listJoinRequests: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/join-requests` }),
  approveJoinRequest: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/join-requests/${team.outsider.userId}/approve`,
  }),
  declineJoinRequest: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/join-requests/${team.outsider.userId}/decline`,
  }),
  listMyJoinRequests: () => ({ path: '/v1/me/join-requests' }),
  setMemberAvailability: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/members/${team.member.userId}/availability`,
    body: { availability: null },
  }),
  listPhoneNumbers: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/phone-numbers` }),
  addPhoneNumber: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/phone-numbers`,
    body: { number: '+14155550100' },
  }),
  getPhoneNumber: (team) => ({ path: numberPathOf(team) }),
  updatePhoneNumber: (team) => ({ path: numberPathOf(team), body: { name: 'Support' } }),
  releasePhoneNumber: (team) => ({ path: numberPathOf(team) }),
  setNumberAccess: (team) => ({
    path: `${numberPathOf(team)}/access/${team.member.userId}`,
    body: { access: 'read-only' },
  }),
  revokeNumberAccess: (team) => ({ path: `${numberPathOf(team)}/access/${team.member.userId}` }),
  setNumberNotifications: (team) => ({ path: `${numberPathOf(team)}/notifications`, body: { calls: false } }),
  setRingOrder: (team) => ({ path: `${numberPathOf(team)}/ring-order`, body: { mode: 'all-at-once' } }),
  canUsePhoneNumber: (team) => ({ path: `${numberPathOf(team)}/can?action=call` }),
  getPhoneNumberRouting: (team) => ({ path: `${numberPathOf(team)}/routing` }),
  decideNumberUse: (team) => ({
    path: `${internalNumberPathOf(team)}/can?userId=${team.member.userId}&action=call`,
  }),
  routeIncomingCall: (team) => ({ path: `${internalNumberPathOf(team)}/routing` }),
  findPhoneNumber: () => ({ path: '/internal/v1/phone-numbers/+14155550100' }),
  listPortingRequests: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/porting-requests` }),
  submitPortingRequest: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/porting-requests`,
    body: portingBody(),
  }),
  getPortingRequest: (team) => ({ path: portPathOf(team) }),
  updatePortingRequest: (team) => ({ path: portPathOf(team), body: { carrier: 'Other Telco' } }),
  readPortingRequestForCarrier: (team) => ({ path: `/internal${portPathOf(team)}` }),
  reportPortingStatus: (team) => ({
    path: `/internal${portPathOf(team)}/status`,
    body: { status: 'in-progress' },
  }),
  getBilling: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/billing` }),
  listBillingLedger: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/billing/ledger` }),
  previewBilling: (team) => ({
    path: `/v1/workspaces/${team.workspaceId}/billing/preview`,
    body: { seats: 1 },
  }),
  changePlan: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/billing`, body: { plan: 'business' } }),
  cancelSubscription: (team) => ({ path: `/v1/workspaces/${team.workspaceId}/billing/cancel` }),
  getInvitation: () => ({ path: '/v1/invitations/not-a-real-token' }),
  acceptInvitation: () => ({ path: '/v1/invitations/accept', body: { token: 'not-a-real-token' } }),
  listMyInvitations: () => ({ path: '/v1/me/invitations' }),
  getMe: () => ({ path: '/v1/me' }),
  getOpenApi: () => ({ path: '/openapi.json' }),
  getApiInfo: () => ({ path: '/v1' }),
};
