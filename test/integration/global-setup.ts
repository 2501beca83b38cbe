import { KAFKA_SASL_USER, serviceAddresses, start, stop } from '../../scripts/services.mjs';

/**
 * Starts real Kafka, the real registry, Redis and PostgreSQL for the integration tests when they do not
 * already answer, exports their addresses to the tests, and stops only what it started.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const started = await start();
  const { brokers, saslBrokers, registryUrl, redisUrl, databaseUrl } = serviceAddresses();
  process.env['NOVA_KAFKA_BROKERS'] = brokers;
  // The SASL listener under test-only names: NOVA_KAFKA_SASL_* would switch every CLI run of every test to SASL.
  process.env['NOVA_TEST_KAFKA_SASL_BROKERS'] = saslBrokers;
  process.env['NOVA_TEST_KAFKA_SASL_MECHANISM'] = KAFKA_SASL_USER.mechanism;
  process.env['NOVA_TEST_KAFKA_SASL_USERNAME'] = KAFKA_SASL_USER.username;
  process.env['NOVA_TEST_KAFKA_SASL_PASSWORD'] = KAFKA_SASL_USER.password;
  process.env['NOVA_SCHEMA_REGISTRY_URL'] = registryUrl;
  process.env['NOVA_REDIS_URL'] = redisUrl;
  process.env['NOVA_OUTBOX_DATABASE_URL'] = databaseUrl;
  return async () => {
    await stop(started);
  };
}
