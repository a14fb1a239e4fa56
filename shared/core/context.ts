/** The signed-in user, from the claims the identity provider signed. */
export interface Caller {
  userId: string;
  email: string;
  emailVerified: boolean;
  name: string;
}

/** Who asks, under which request id, and the one instant the whole request is decided at. */
export interface RequestContext {
  caller: Caller;
  requestId: string;
  now: Date;
}
