/** Text typed by users, safe inside HTML. */
export const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

/** Names are typed by users: keep a subject on one line. */
export const oneLine = (value: string) => value.replace(/\s+/g, ' ').trim();
