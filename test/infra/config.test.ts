import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { defaultThrottle, resolveSettings } from '../../infra/config';

describe('resolveSettings', () => {
  it('defaults to Cognito, no parameter defaults and the default throttling', () => {
    expect(resolveSettings(new App(), {})).toEqual({
      appUrl: '',
      appDownloadUrl: '',
      senderEmail: '',
      maxSendRate: 1,
      corsOrigins: [],
      dnsServers: [],
      throttle: defaultThrottle,
    });
  });

  it('reads context, where the command line gives strings', () => {
    const app = new App({
      context: {
        oidcIssuer: 'https://issuer.example.com',
        oidcAudience: 'a, b,,',
        appUrl: 'https://app.example.com',
        appDownloadUrl: 'https://example.com/download',
        senderEmail: 'invitations@example.com',
        maxSendRate: '14',
        throttleRateLimit: '7',
        throttleBurstLimit: '14',
      },
    });
    expect(resolveSettings(app, {})).toEqual({
      oidc: { issuer: 'https://issuer.example.com', audience: ['a', 'b'] },
      appUrl: 'https://app.example.com',
      appDownloadUrl: 'https://example.com/download',
      senderEmail: 'invitations@example.com',
      maxSendRate: 14,
      corsOrigins: [],
      dnsServers: [],
      throttle: { rateLimit: 7, burstLimit: 14 },
    });
  });

  it('prefers stack props over context', () => {
    const app = new App({ context: { appUrl: 'https://context.example.com', throttleRateLimit: '7' } });
    expect(
      resolveSettings(app, {
        appUrl: 'https://props.example.com',
        throttleRateLimit: 3,
        oidcIssuer: 'https://issuer.example.com',
        oidcAudience: ['client'],
      }),
    ).toEqual({
      oidc: { issuer: 'https://issuer.example.com', audience: ['client'] },
      appUrl: 'https://props.example.com',
      appDownloadUrl: '',
      senderEmail: '',
      maxSendRate: 1,
      corsOrigins: [],
      dnsServers: [],
      throttle: { rateLimit: 3, burstLimit: defaultThrottle.burstLimit },
    });
  });

  it('takes DNS resolvers as IP addresses, with an optional port', () => {
    const settings = resolveSettings(
      new App({ context: { dnsServers: '1.1.1.1, 8.8.8.8:53,[2606:4700::1111]:53' } }),
      {},
    );
    expect(settings.dnsServers).toEqual(['1.1.1.1', '8.8.8.8:53', '[2606:4700::1111]:53']);
    expect(() => resolveSettings(new App(), { dnsServers: 'dns.google' })).toThrow(/dnsServers/);
  });

  it('refuses half an OIDC configuration, a non-https issuer and bad throttling', () => {
    expect(() => resolveSettings(new App(), { oidcIssuer: 'https://issuer.example.com' })).toThrow(/both/);
    expect(() => resolveSettings(new App({ context: { oidcAudience: 'a' } }), {})).toThrow(/both/);
    expect(() => resolveSettings(new App(), { oidcIssuer: 'http://issuer', oidcAudience: 'a' })).toThrow(
      /https/,
    );
    expect(() => resolveSettings(new App({ context: { throttleRateLimit: 'fast' } }), {})).toThrow(
      /positive/,
    );
    expect(() => resolveSettings(new App(), { throttleBurstLimit: 0 })).toThrow(/positive/);
    // MaxSendRate offers a fixed list: its mailer plans are computed for those rates.
    expect(() => resolveSettings(new App({ context: { maxSendRate: '13' } }), {})).toThrow(/one of 1, 2, 5/);
    expect(() => resolveSettings(new App(), { corsOrigins: 'https://app.example.com/path' })).toThrow(
      /origins/,
    );
  });
});
