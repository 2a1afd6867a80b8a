import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives the zero-configuration defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      databaseUrl: undefined,
      port: 3000,
      host: '0.0.0.0',
      dataDir: './data',
      publicUrl: undefined,
      embeddedPostgresPort: 0,
      simulator: true,
      defaultReply: undefined,
      logLevel: 'info',
      logFormat: 'auto',
      trustProxy: false,
      whatsapp: undefined,
      rateLimitPerSecond: 80,
      sendTimeoutMs: 15000,
      messagingLimit: 250,
      graphUrl: 'https://graph.facebook.com',
      apiVersion: 'v23.0',
      admin: undefined,
      allowLocalWebhooks: false,
    });
  });

  it('parses PARLEY_TRUST_PROXY as hops or a list of addresses and CIDRs, and refuses anything else', () => {
    expect(loadConfig({ PARLEY_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ PARLEY_TRUST_PROXY: '10.0.0.0/8, ::1,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '::1',
      'loopback',
    ]);
    for (const bad of ['10.0.0.0/33', 'proxy.example.org', 'true', '0']) {
      expect(() => loadConfig({ PARLEY_TRUST_PROXY: bad })).toThrow(
        /PARLEY_TRUST_PROXY: must be a number of proxy hops/,
      );
    }
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });

  it('configures a WhatsApp number when all four variables are set, and then turns the simulator off', () => {
    const config = loadConfig({
      WHATSAPP_APP_SECRET: 's',
      WHATSAPP_VERIFY_TOKEN: 'v',
      WHATSAPP_ACCESS_TOKEN: 'a',
      WHATSAPP_PHONE_NUMBER_ID: '123',
      WHATSAPP_RATE_LIMIT: '1000',
    });
    expect(config.whatsapp).toEqual({
      appSecret: 's',
      verifyToken: 'v',
      accessToken: 'a',
      phoneNumberId: '123',
      graphUrl: 'https://graph.facebook.com',
      apiVersion: 'v23.0',
      rateLimitPerSecond: 1000,
      sendTimeoutMs: 15000,
    });
    expect(config.simulator).toBe(false);
    expect(
      loadConfig({
        PARLEY_SIMULATOR: 'on',
        WHATSAPP_APP_SECRET: 's',
        WHATSAPP_VERIFY_TOKEN: 'v',
        WHATSAPP_ACCESS_TOKEN: 'a',
        WHATSAPP_PHONE_NUMBER_ID: '1',
      }).simulator,
    ).toBe(true);
  });

  it('lists every invalid variable and why, in one error', () => {
    let caught: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        WHATSAPP_RATE_LIMIT: '5000',
        WHATSAPP_APP_SECRET: 'only-this-one',
        PARLEY_SIMULATOR: 'maybe',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems.map((p) => p.variable).sort()).toEqual([
      'DATABASE_URL',
      'PARLEY_SIMULATOR',
      'PORT',
      'WHATSAPP_RATE_LIMIT',
    ]);
    expect(problems.find((p) => p.variable === 'DATABASE_URL')?.reason).toBe(
      'must be a postgres:// or postgresql:// connection URL',
    );
    expect(problems.find((p) => p.variable === 'WHATSAPP_RATE_LIMIT')?.reason).toBe(
      'Meta allows at most 1,000 messages/s per number',
    );
    expect((caught as ConfigError).message.split('\n')[0]).toBe('Invalid configuration:');
  });

  it('names the missing WhatsApp variables when the number is half configured', () => {
    let caught: unknown;
    try {
      loadConfig({ WHATSAPP_APP_SECRET: 's', WHATSAPP_ACCESS_TOKEN: 'a' });
    } catch (error) {
      caught = error;
    }
    expect((caught as ConfigError).problems).toEqual([
      {
        variable: 'WHATSAPP_VERIFY_TOKEN',
        reason: 'required when WHATSAPP_APP_SECRET, WHATSAPP_ACCESS_TOKEN are set',
      },
      {
        variable: 'WHATSAPP_PHONE_NUMBER_ID',
        reason: 'required when WHATSAPP_APP_SECRET, WHATSAPP_ACCESS_TOKEN are set',
      },
    ]);
  });
});
