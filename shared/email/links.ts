/** The web app's base URL (the AppUrl parameter), without a trailing slash: where the emails' links point. */
export const appUrl = () => (process.env.APP_URL ?? '').replace(/\/+$/, '');
