/** Default Kafka bootstrap address of the test services. */
export const DEFAULT_KAFKA_BROKERS: string;
/** Default Confluent-compatible registry URL of the test services. */
export const DEFAULT_REGISTRY_URL: string;
/** Default Redis URL of the test services. */
export const DEFAULT_REDIS_URL: string;
/** Default PostgreSQL URL of the test services (the outbox). */
export const DEFAULT_DATABASE_URL: string;
/** The names of every service the script handles, in start order. */
export const SERVICE_NAMES: string[];
/** The test broker's SCRAM user on its SASL_PLAINTEXT listener (test credentials of a loopback broker). */
export const KAFKA_SASL_USER: { mechanism: 'scram-sha-256'; username: string; password: string };
/** The SASL listener's address beside a plaintext bootstrap address (two ports above it). */
export function saslBrokers(brokers: string): string;
/** The addresses in force: the environment's, else the defaults. */
export function serviceAddresses(): { brokers: string; saslBrokers: string; registryUrl: string; redisUrl: string; databaseUrl: string };
/** Starts whichever of the named services (default: all) does not answer yet; resolves to the names of those it started. */
export function start(names?: string[]): Promise<string[]>;
/** Stops the named services (default: all) if this script started them. */
export function stop(names?: string[]): Promise<void>;
