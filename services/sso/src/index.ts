export { buildApp, type SsoApp } from "./app.js";
export { loadSsoConfig, type SsoConfig } from "./config.js";
export { ssoLoginEvent, ssoLoginTopic, type SsoLogin } from "./events/sso-login.js";
export { roles, type Role, type Account } from "./domain/account.js";
export { ssoClientSchema, type SsoClient } from "./domain/sso-clients.js";
export type { SsoUpstream } from "./domain/sso-upstreams.js";
